using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Serverless.Snmp;

/// <summary>
/// An SNMP manager over UDP. One socket per address family serves any number of concurrent requests, matched to their
/// responses by request id and source address; datagrams that match nothing are dropped. Thread-safe; dispose to
/// close the sockets.
/// </summary>
public sealed partial class SnmpClient : IAsyncDisposable
{
    private readonly SnmpClientOptions _options;
    private readonly ConcurrentDictionary<int, PendingRequest> _pending = new();
    private readonly ConcurrentDictionary<int, PendingExchange> _pendingV3 = new();
    private readonly ConcurrentDictionary<IPEndPoint, EngineState> _engines = new();
    private readonly ConcurrentDictionary<string, byte[]> _localizedKeys = new(StringComparer.Ordinal);
    private long _salt = Random.Shared.NextInt64();
    private readonly CancellationTokenSource _closing = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<AddressFamily, (Socket Socket, Task Receiver)> _sockets = [];
    private int _nextRequestId = Random.Shared.Next(1, int.MaxValue / 2);
    private long _dropped;

    public SnmpClient(SnmpClientOptions? options = null)
    {
        _options = options ?? SnmpClientOptions.Default;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_options.Timeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(_options.Retries);
    }

    /// <summary>Datagrams received that were not an awaited response (wrong address, unknown id, undecodable).</summary>
    public long DroppedDatagrams => Interlocked.Read(ref _dropped);

    public async Task<IReadOnlyList<VarBind>> GetAsync(SnmpTarget target, IReadOnlyList<Oid> oids, CancellationToken cancellationToken = default) =>
        Checked(await SendAsync(target, Pdu.Get(oids), cancellationToken)).VarBinds;

    public async Task<IReadOnlyList<VarBind>> GetNextAsync(SnmpTarget target, IReadOnlyList<Oid> oids, CancellationToken cancellationToken = default) =>
        Checked(await SendAsync(target, Pdu.GetNext(oids), cancellationToken)).VarBinds;

    public async Task<IReadOnlyList<VarBind>> GetBulkAsync(
        SnmpTarget target, int nonRepeaters, int maxRepetitions, IReadOnlyList<Oid> oids, CancellationToken cancellationToken = default)
    {
        if (target is CommunityTarget { Version: SnmpVersion.V1 })
        {
            throw new NotSupportedException("GetBulk does not exist in SNMPv1; use GetNext.");
        }

        return Checked(await SendAsync(target, Pdu.GetBulk(nonRepeaters, maxRepetitions, oids), cancellationToken)).VarBinds;
    }

    public async Task<IReadOnlyList<VarBind>> SetAsync(SnmpTarget target, IReadOnlyList<VarBind> bindings, CancellationToken cancellationToken = default) =>
        Checked(await SendAsync(target, Pdu.Set(bindings), cancellationToken)).VarBinds;

    /// <summary>Every binding under <paramref name="root"/>, in order: GetBulk (v2c) or GetNext (v1), until the subtree ends.</summary>
    public async IAsyncEnumerable<VarBind> WalkAsync(
        SnmpTarget target, Oid root, int maxRepetitions = 20, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var current = root;
        while (true)
        {
            var page = target is CommunityTarget { Version: SnmpVersion.V1 }
                ? await GetNextOrEndAsync(target, current, cancellationToken)
                : await GetBulkAsync(target, 0, maxRepetitions, [current], cancellationToken);
            foreach (var binding in page)
            {
                if (binding.Value.Type == SnmpType.EndOfMibView || !binding.Oid.IsChildOf(root))
                {
                    yield break;
                }

                if (binding.Oid <= current)
                {
                    throw new SnmpDecodeException($"The agent's walk went backwards: {binding.Oid} after {current}.");
                }

                current = binding.Oid;
                yield return binding;
            }

            if (page.Count == 0)
            {
                yield break;
            }
        }
    }

    /// <summary>Sends a PDU and returns the response PDU as it came, error-status included.</summary>
    public Task<Pdu> SendAsync(SnmpTarget target, Pdu request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ObjectDisposedException.ThrowIf(_closing.IsCancellationRequested, this);
        return SnmpTracing.Wanted ? SendTracedAsync(target, request, cancellationToken) : SendUntracedAsync(target, request, cancellationToken);
    }

    private Task<Pdu> SendUntracedAsync(SnmpTarget target, Pdu request, CancellationToken cancellationToken) => target switch
    {
        CommunityTarget community => SendCommunityAsync(community, request, cancellationToken),
        UsmTarget usm => SendUsmAsync(usm, request, cancellationToken),
        _ => throw new ArgumentException($"Unknown target kind {target.GetType().Name}.", nameof(target)),
    };

    // Async so that the span is current only within this request, not in the caller's context after it returns.
    private async Task<Pdu> SendTracedAsync(SnmpTarget target, Pdu request, CancellationToken cancellationToken)
    {
        using var activity = SnmpTracing.Start(target, request);
        try
        {
            var response = await SendUntracedAsync(target, request, cancellationToken);
            if (response.ErrorStatus != ErrorStatus.NoError)
            {
                activity?.SetStatus(ActivityStatusCode.Error, $"{response.ErrorStatus} at index {response.ErrorIndex}");
            }

            return response;
        }
        catch (Exception exception) when (activity is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, exception.Message);
            activity.SetTag("error.type", exception.GetType().Name);
            throw;
        }
    }

    private async Task<Pdu> SendCommunityAsync(CommunityTarget target, Pdu request, CancellationToken cancellationToken)
    {
        var requestId = NextRequestId();
        var datagram = new CommunityMessage(target.Version, target.Community, request with { RequestId = requestId }).Encode();
        var pending = new PendingRequest(target.EndPoint, target.Version, target.Community);
        _pending[requestId] = pending;
        try
        {
            var socket = SocketFor(target.EndPoint.AddressFamily);
            var timing = TimingOf(target);
            for (var attempt = 0; attempt <= timing.Retries; attempt++)
            {
                await socket.SendToAsync(datagram, SocketFlags.None, target.EndPoint, cancellationToken);
                try
                {
                    return await pending.Response.Task.WaitAsync(timing.Timeout, cancellationToken);
                }
                catch (TimeoutException)
                {
                    // Retry with the same request id: a late answer to an earlier try is as good as the next one.
                }
            }

            throw new SnmpTimeoutException(target.EndPoint, timing.Retries + 1, timing.Timeout);
        }
        finally
        {
            _pending.TryRemove(requestId, out _);
        }
    }

    /// <summary>Forgets the SNMPv3 engine id, boots and time learnt from <paramref name="target"/>; says whether any were known.</summary>
    public bool ForgetEngine(IPEndPoint target) => _engines.TryRemove(target, out _);

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync();
        List<(Socket Socket, Task Receiver)> sockets;
        lock (_gate)
        {
            sockets = [.. _sockets.Values];
            _sockets.Clear();
        }

        foreach (var (socket, receiver) in sockets)
        {
            socket.Dispose();
            await receiver;
        }

        _closing.Dispose();
    }

    private async Task<IReadOnlyList<VarBind>> GetNextOrEndAsync(SnmpTarget target, Oid oid, CancellationToken cancellationToken)
    {
        var response = await SendAsync(target, Pdu.GetNext([oid]), cancellationToken);
        // SNMPv1 ends a walk with noSuchName on the last variable.
        return response.ErrorStatus == ErrorStatus.NoSuchName ? [] : Checked(response).VarBinds;
    }

    private static Pdu Checked(Pdu response)
    {
        if (response.ErrorStatus == ErrorStatus.NoError)
        {
            return response;
        }

        var binding = response.ErrorIndex >= 1 && response.ErrorIndex <= response.VarBinds.Count ? response.VarBinds[response.ErrorIndex - 1] : null;
        throw new SnmpErrorException(response.ErrorStatus, response.ErrorIndex, binding);
    }

    private SnmpClientOptions TimingOf(SnmpTarget target)
    {
        if (target.Timing is not { } timing)
        {
            return _options;
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timing.Timeout, TimeSpan.Zero, nameof(target));
        ArgumentOutOfRangeException.ThrowIfNegative(timing.Retries, nameof(target));
        return timing;
    }

    private int NextRequestId()
    {
        var id = Interlocked.Increment(ref _nextRequestId) & int.MaxValue;
        return id == 0 ? Interlocked.Increment(ref _nextRequestId) & int.MaxValue : id;
    }

    private Socket SocketFor(AddressFamily family)
    {
        lock (_gate)
        {
            if (_sockets.TryGetValue(family, out var existing))
            {
                return existing.Socket;
            }

            var socket = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(new IPEndPoint(family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0));
            _sockets[family] = (socket, ReceiveLoopAsync(socket));
            return socket;
        }
    }

    private async Task ReceiveLoopAsync(Socket socket)
    {
        var buffer = new byte[65536];
        EndPoint any = new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!_closing.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, _closing.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                // ICMP port unreachable surfaces here on Linux for a connectionless socket; the request times out instead.
                continue;
            }

            Dispatch(buffer.AsSpan(0, received.ReceivedBytes), (IPEndPoint)received.RemoteEndPoint);
        }
    }

    private void Dispatch(ReadOnlySpan<byte> datagram, IPEndPoint from)
    {
        int? v3MessageId;
        try
        {
            v3MessageId = V3Message.PeekMessageId(datagram);
        }
        catch (SnmpDecodeException)
        {
            Interlocked.Increment(ref _dropped);
            return;
        }

        if (v3MessageId is { } messageId)
        {
            if (!_pendingV3.TryGetValue(messageId, out var exchange) || !exchange.Target.Equals(Normalize(from, exchange.Target)))
            {
                Interlocked.Increment(ref _dropped);
                return;
            }

            exchange.Datagrams.Writer.TryWrite(datagram.ToArray());
            return;
        }

        CommunityMessage message;
        try
        {
            message = CommunityMessage.Decode(datagram);
        }
        catch (Exception exception) when (exception is SnmpDecodeException or OverflowException or ArgumentException)
        {
            Interlocked.Increment(ref _dropped);
            return;
        }

        if (message.Pdu.Type != PduType.Response
            || !_pending.TryGetValue(message.Pdu.RequestId, out var pending)
            || !pending.Target.Equals(Normalize(from, pending.Target))
            || message.Version != pending.Version
            || message.Community != pending.Community
            || !pending.Response.TrySetResult(message.Pdu))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    // A dual-mode socket reports IPv4 senders as IPv4-mapped IPv6 addresses.
    private static IPEndPoint Normalize(IPEndPoint from, IPEndPoint target) =>
        target.AddressFamily == AddressFamily.InterNetwork && from.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(from.Address.MapToIPv4(), from.Port) : from;

    private sealed class PendingExchange(IPEndPoint target)
    {
        public IPEndPoint Target { get; } = target;

        public System.Threading.Channels.Channel<byte[]> Datagrams { get; } = System.Threading.Channels.Channel.CreateUnbounded<byte[]>();
    }

    private sealed class PendingRequest(IPEndPoint target, SnmpVersion version, string community)
    {
        public IPEndPoint Target { get; } = target;

        public SnmpVersion Version { get; } = version;

        public string Community { get; } = community;

        // Completed by the receive loop, which then runs the waiter on until its next wait (its next request, say)
        // instead of handing it to another thread: a walk costs about what net-snmp's does instead of twice that.
        public TaskCompletionSource<Pdu> Response { get; } = new();
    }
}
