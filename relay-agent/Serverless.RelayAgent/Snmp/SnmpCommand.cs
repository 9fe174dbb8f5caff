using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Serverless.Snmp;

namespace Serverless.RelayAgent.Snmp;

/// <summary>
/// <c>relay-agent snmp get|getnext|walk|bulkwalk|set</c>: checks a device from the agent host with net-snmp's habits
/// (options, numeric output). Errors print one line on stderr and exit 1; usage errors exit 2.
/// </summary>
public static class SnmpCommand
{
    public const string Usage = """
        Usage: relay-agent snmp get|getnext|walk|bulkwalk|set [OPTIONS] HOST[:PORT] OID... (set: OID TYPE VALUE...)

          -v 1|2c|3     version (default 2c)          -c COMMUNITY  v1/v2c community (default public)
          -u USER       v3 user                        -l LEVEL      noAuthNoPriv|authNoPriv|authPriv
          -a SHA|SHA-256  v3 authentication protocol   -A PASSWORD   v3 authentication password
          -x AES        v3 privacy protocol            -X PASSWORD   v3 privacy password
          -t SECONDS    timeout per try (default 1)    -r RETRIES    retries (default 5)
          TYPE          i u s x o a t c C, as in snmpset
        """;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        Invocation invocation;
        try
        {
            invocation = Parse(args);
        }
        catch (FormatException exception)
        {
            await error.WriteLineAsync($"snmp: {exception.Message}\n{Usage}");
            return 2;
        }

        await using var client = new SnmpClient(new SnmpClientOptions(invocation.Timeout, invocation.Retries));
        try
        {
            switch (invocation.Operation)
            {
                case "get":
                    await PrintAsync(output, await client.GetAsync(invocation.Target, invocation.Oids, cancellationToken));
                    break;
                case "getnext":
                    await PrintAsync(output, await client.GetNextAsync(invocation.Target, invocation.Oids, cancellationToken));
                    break;
                case "set":
                    await PrintAsync(output, await client.SetAsync(invocation.Target, invocation.Bindings, cancellationToken));
                    break;
                default:
                    var count = 0;
                    var maxRepetitions = invocation.Operation == "bulkwalk" ? 20 : 1;
                    await foreach (var binding in client.WalkAsync(invocation.Target, invocation.Oids[0], maxRepetitions, cancellationToken))
                    {
                        await output.WriteLineAsync(NetSnmpFormat.Line(binding));
                        count++;
                    }

                    if (count == 0)
                    {
                        await output.WriteLineAsync($".{invocation.Oids[0]} = No Such Object available on this agent at this OID");
                    }

                    break;
            }

            return 0;
        }
        catch (SnmpTimeoutException exception)
        {
            await error.WriteLineAsync($"Timeout: No Response from {invocation.Target.EndPoint}. {exception.Message}");
        }
        catch (SnmpUsmException exception)
        {
            await error.WriteLineAsync($"Authentication failure: {exception.Message}");
        }
        catch (SnmpErrorException exception)
        {
            var failed = exception.Binding is null ? string.Empty : $"\nFailed object: .{exception.Binding.Oid}";
            await error.WriteLineAsync($"Error in packet.\nReason: {exception.Status} (error-index {exception.Index}){failed}");
        }
        catch (SnmpDecodeException exception)
        {
            await error.WriteLineAsync($"Malformed answer from {invocation.Target.EndPoint}: {exception.Message}");
        }
        catch (SocketException exception)
        {
            await error.WriteLineAsync($"Cannot reach {invocation.Target.EndPoint}: {exception.Message}");
        }

        return 1;
    }

    private static async Task PrintAsync(TextWriter output, IReadOnlyList<VarBind> bindings)
    {
        foreach (var binding in bindings)
        {
            await output.WriteLineAsync(NetSnmpFormat.Line(binding));
        }
    }

    internal static Invocation Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0 || args[0] is not ("get" or "getnext" or "walk" or "bulkwalk" or "set"))
        {
            throw new FormatException("the first word must be get, getnext, walk, bulkwalk or set");
        }

        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var positional = new List<string>();
        for (var i = 1; i < args.Count; i++)
        {
            if (args[i] is { Length: 2 } flag && flag[0] == '-' && "vculaAxXtr".Contains(flag[1], StringComparison.Ordinal))
            {
                options[flag] = i + 1 < args.Count ? args[++i] : throw new FormatException($"{flag} needs a value");
            }
            else
            {
                positional.Add(args[i]);
            }
        }

        if (positional.Count < 2)
        {
            throw new FormatException("give HOST[:PORT] and at least one OID");
        }

        var endPoint = SnmpAddress.ResolveAsync(positional[0]).GetAwaiter().GetResult();
        var timeout = options.TryGetValue("-t", out var t) && double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : options.ContainsKey("-t") ? throw new FormatException($"-t '{t}' is not a positive number of seconds") : TimeSpan.FromSeconds(1);
        var retries = options.TryGetValue("-r", out var r) ? (int.TryParse(r, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw new FormatException($"-r '{r}' is not a count")) : 5;

        var target = Target(endPoint, options);
        var rest = positional.Skip(1).ToList();
        var operation = args[0];
        if (operation == "set")
        {
            if (rest.Count % 3 != 0)
            {
                throw new FormatException("set takes OID TYPE VALUE triples");
            }

            var bindings = rest.Chunk(3).Select(triple => new VarBind(ParseOid(triple[0]), SnmpValues.Parse(triple[1], triple[2]))).ToList();
            return new Invocation(operation, target, bindings.Select(b => b.Oid).ToList(), bindings, timeout, retries);
        }

        if (operation is "walk" or "bulkwalk" && rest.Count != 1)
        {
            throw new FormatException($"{operation} takes one OID");
        }

        return new Invocation(operation, target, rest.Select(ParseOid).ToList(), [], timeout, retries);
    }

    private static SnmpTarget Target(IPEndPoint endPoint, Dictionary<string, string> options)
    {
        var version = options.GetValueOrDefault("-v", "2c");
        switch (version)
        {
            case "1" or "2c":
                return new CommunityTarget(endPoint, options.GetValueOrDefault("-c", "public"), version == "1" ? SnmpVersion.V1 : SnmpVersion.V2c);
            case "3":
                var level = options.GetValueOrDefault("-l", "noAuthNoPriv");
                var user = options.TryGetValue("-u", out var name) ? name : throw new FormatException("-v 3 needs -u USER");
                var auth = level is "authNoPriv" or "authPriv" ? SnmpProtocolNames.Auth(options.GetValueOrDefault("-a", "SHA")) : AuthProtocol.None;
                var priv = level == "authPriv" ? SnmpProtocolNames.Priv(options.GetValueOrDefault("-x", "AES")) : PrivProtocol.None;
                if (level is not ("noAuthNoPriv" or "authNoPriv" or "authPriv"))
                {
                    throw new FormatException($"-l '{level}' is not noAuthNoPriv, authNoPriv or authPriv");
                }

                var usm = new UsmUser(user, auth, options.GetValueOrDefault("-A"), priv, options.GetValueOrDefault("-X"));
                try
                {
                    usm.Validate();
                }
                catch (ArgumentException exception)
                {
                    throw new FormatException(exception.Message);
                }

                return new UsmTarget(endPoint, usm);
            default:
                throw new FormatException($"-v '{version}' is not 1, 2c or 3");
        }
    }

    private static Oid ParseOid(string text)
    {
        try
        {
            return Oid.Parse(text);
        }
        catch (ArgumentException exception)
        {
            throw new FormatException(exception.Message);
        }
    }

    internal sealed record Invocation(string Operation, SnmpTarget Target, IReadOnlyList<Oid> Oids, IReadOnlyList<VarBind> Bindings, TimeSpan Timeout, int Retries);
}
