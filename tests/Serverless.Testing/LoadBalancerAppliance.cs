using System.Text.Json.Nodes;

namespace Serverless.Testing;

/// <summary>
/// The test appliance: a real snmpd whose subtree <see cref="BaseOid"/> is served by the pass_persist handler in
/// <c>tests/Serverless.SnmpAppliance</c>, modelling a load balancer's member table kept in a state file. Tests read
/// back what a set did and steer the load a member reports.
/// </summary>
public sealed class LoadBalancerAppliance : IAsyncDisposable
{
    public const string BaseOid = "1.3.6.1.4.1.8072.9999.1";

    private readonly string _folder;
    private readonly string _statePath;

    private LoadBalancerAppliance(SnmpdProcess snmpd, string folder, string statePath)
    {
        Snmpd = snmpd;
        _folder = folder;
        _statePath = statePath;
    }

    public SnmpdProcess Snmpd { get; }

    public static async Task<LoadBalancerAppliance> StartAsync(int members, string extraConfig = "")
    {
        if (!File.Exists(RepositoryPaths.SnmpApplianceAssembly))
        {
            throw new InvalidOperationException($"{RepositoryPaths.SnmpApplianceAssembly} is missing; build the solution first.");
        }

        var dotnet = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':')
            .Select(folder => Path.Combine(folder, "dotnet")).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("dotnet is not on PATH.");
        var folder = RepositoryPaths.NewScratchFolder("appliance");
        var statePath = Path.Combine(folder, "members.json");
        var table = new JsonArray();
        for (var index = 1; index <= members; index++)
        {
            table.Add(new JsonObject { ["index"] = index, ["adminState"] = 1, ["connections"] = 0, ["cpuPercent"] = 0 });
        }

        await File.WriteAllTextAsync(statePath, new JsonObject { ["members"] = table }.ToJsonString());
        var snmpd = await SnmpdProcess.StartAsync($"pass_persist .{BaseOid} {dotnet} {RepositoryPaths.SnmpApplianceAssembly} --state {statePath}\n{extraConfig}");
        return new LoadBalancerAppliance(snmpd, folder, statePath);
    }

    /// <summary>The member table as the appliance holds it now.</summary>
    public IReadOnlyList<(int Index, int AdminState, uint Connections, uint CpuPercent)> Members()
    {
        var state = JsonNode.Parse(File.ReadAllText(_statePath))!["members"]!.AsArray();
        return state.Select(m => (m!["index"]!.GetValue<int>(), m["adminState"]!.GetValue<int>(), m["connections"]!.GetValue<uint>(), m["cpuPercent"]!.GetValue<uint>())).ToList();
    }

    /// <summary>Makes a member report this load from now on.</summary>
    public void SteerLoad(int index, uint connections, uint cpuPercent) => Change(index, member =>
    {
        member["connections"] = connections;
        member["cpuPercent"] = cpuPercent;
    });

    /// <summary>Sets a member's admin state on the device itself (1 up, 2 down), as an operator at its console would.</summary>
    public void SetAdminState(int index, int adminState) => Change(index, member => member["adminState"] = adminState);

    private void Change(int index, Action<JsonNode> change)
    {
        var root = JsonNode.Parse(File.ReadAllText(_statePath))!;
        change(root["members"]!.AsArray().First(m => m!["index"]!.GetValue<int>() == index)!);
        var temporary = _statePath + ".steer";
        File.WriteAllText(temporary, root.ToJsonString());
        File.Move(temporary, _statePath, overwrite: true);
    }

    public async ValueTask DisposeAsync()
    {
        await Snmpd.DisposeAsync();
        RepositoryPaths.DeleteScratchFolder(_folder);
    }
}
