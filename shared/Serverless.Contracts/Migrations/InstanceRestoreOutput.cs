using System.Text.Json.Serialization;
using Serverless.Contracts.Instances;

namespace Serverless.Contracts.Migrations;

/// <summary>Output of <c>instance.restore</c>.</summary>
/// <param name="Name">The restored domain's name.</param>
/// <param name="State">Its state (paused).</param>
/// <param name="Volume">Its disk at the target.</param>
/// <param name="BytesDownloaded">What was downloaded.</param>
/// <param name="Seconds">How long the download and restore took.</param>
/// <param name="InterfacesDown">Network interfaces of the restored domain whose link is down, as the hypervisor reports them: all of them for a test copy.</param>
/// <param name="Interfaces">Network interfaces of the restored domain.</param>
public sealed record InstanceRestoreOutput(string Name, InstanceState State, InstanceVolume? Volume, long BytesDownloaded, double Seconds,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] int InterfacesDown = 0,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] int Interfaces = 0);
