using System.Net;
using System.Net.Sockets;

namespace Serverless.Snmp;

/// <summary>The SNMPv3 (USM) half of the client: engine discovery, time synchronisation, authentication and privacy.</summary>
public sealed partial class SnmpClient
{
    private async Task<Pdu> SendUsmAsync(UsmTarget target, Pdu request, CancellationToken cancellationToken)
    {
        var user = target.User;
        user.Validate();
        var timing = TimingOf(target);
        var engine = _engines.TryGetValue(target.EndPoint, out var known) ? known : await DiscoverAsync(target.EndPoint, timing, cancellationToken);
        for (var attempt = 0; ; attempt++)
        {
            var authKey = user.Auth == AuthProtocol.None ? null : LocalizedKey(user.Auth, user.AuthPassword!, engine.EngineId);
            var privKey = user.Priv == PrivProtocol.None ? null : LocalizedKey(user.Auth, user.PrivPassword!, engine.EngineId);
            var requestId = NextRequestId();
            var messageId = NextRequestId();
            var datagram = V3Message.Encode(messageId, user, engine, authKey, privKey, Interlocked.Increment(ref _salt), target.ContextName, request with { RequestId = requestId });
            V3Message response;
            bool authentic;
            try
            {
                (response, authentic) = await ExchangeAsync(target.EndPoint, timing, messageId, datagram, raw => Accept(raw, user, authKey, privKey, requestId), cancellationToken);
            }
            catch (SnmpTimeoutException) when (user.Priv != PrivProtocol.None)
            {
                // Agents drop a request they cannot decrypt (AES-CFB yields garbage, not a padding error) instead of reporting.
                throw new SnmpTimeoutException(target.EndPoint, timing.Retries + 1, timing.Timeout,
                    $"The engine was discovered, so check the privacy password and protocol of '{user.Name}': agents drop requests they cannot decrypt.");
            }

            if (response.Pdu!.Type == PduType.Report)
            {
                var error = ReportedError(response.Pdu);
                if (error == UsmError.UnknownEngineId && attempt == 0)
                {
                    engine = await DiscoverAsync(target.EndPoint, timing, cancellationToken);
                    continue;
                }

                if (error == UsmError.NotInTimeWindow && attempt < 2 && authentic)
                {
                    engine = Remember(target.EndPoint, new EngineState(response.EngineId, response.Boots, response.Time, Environment.TickCount64));
                    continue;
                }

                throw new SnmpUsmException(error, user.Name, target.EndPoint);
            }

            if (authentic)
            {
                Remember(target.EndPoint, new EngineState(response.EngineId, response.Boots, response.Time, Environment.TickCount64));
            }

            return response.Pdu;
        }
    }

    /// <summary>RFC 3414 4: a noAuthNoPriv probe answered by a report carrying the agent's engine id, boots and time.</summary>
    private async Task<EngineState> DiscoverAsync(IPEndPoint endPoint, SnmpClientOptions timing, CancellationToken cancellationToken)
    {
        var messageId = NextRequestId();
        var probe = V3Message.Encode(messageId, new UsmUser(string.Empty), new EngineState([], 0, 0, Environment.TickCount64), null, null, 0, string.Empty,
            new Pdu(PduType.GetRequest, NextRequestId(), 0, 0, []));
        var (report, _) = await ExchangeAsync(endPoint, timing, messageId, probe, raw =>
        {
            var message = V3Message.Decode(raw, null);
            return message.Pdu is { Type: PduType.Report } && message.EngineId.Length > 0 ? (message, false) : null;
        }, cancellationToken);
        return Remember(endPoint, new EngineState(report.EngineId, report.Boots, report.Time, Environment.TickCount64));
    }

    private static (V3Message Message, bool Authentic)? Accept(byte[] raw, UsmUser user, byte[]? authKey, byte[]? privKey, int requestId)
    {
        var message = V3Message.Decode(raw, null);
        var authentic = authKey is not null && V3Message.IsAuthentic(raw, message, user.Auth, authKey);
        if ((message.Flags & 1) != 0 && !authentic)
        {
            return null;
        }

        if (message.EncryptedPdu is not null)
        {
            if (privKey is null || !authentic)
            {
                return null;
            }

            try
            {
                message = V3Message.Decode(raw, privKey);
            }
            catch (SnmpUsmDecryptException)
            {
                return null;
            }
        }

        // Unauthenticated answers are only believed when they are reports (errors); data must be authentic at auth levels.
        return message.Pdu switch
        {
            { Type: PduType.Report } => (message, authentic),
            { Type: PduType.Response } pdu when pdu.RequestId == requestId && (authKey is null || authentic) => (message, authentic),
            _ => null,
        };
    }

    private async Task<(V3Message Message, bool Authentic)> ExchangeAsync(
        IPEndPoint target, SnmpClientOptions timing, int messageId, byte[] datagram, Func<byte[], (V3Message, bool)?> accept, CancellationToken cancellationToken)
    {
        var exchange = new PendingExchange(target);
        _pendingV3[messageId] = exchange;
        try
        {
            var socket = SocketFor(target.AddressFamily);
            for (var attempt = 0; attempt <= timing.Retries; attempt++)
            {
                await socket.SendToAsync(datagram, SocketFlags.None, target, cancellationToken);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(timing.Timeout);
                try
                {
                    while (true)
                    {
                        var raw = await exchange.Datagrams.Reader.ReadAsync(timeout.Token);
                        (V3Message, bool)? accepted;
                        try
                        {
                            accepted = accept(raw);
                        }
                        catch (Exception exception) when (exception is SnmpDecodeException or ArgumentException)
                        {
                            accepted = null;
                        }

                        if (accepted is { } result)
                        {
                            return result;
                        }

                        Interlocked.Increment(ref _dropped);
                    }
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // This try timed out; send again with the same message id.
                }
            }

            throw new SnmpTimeoutException(target, timing.Retries + 1, timing.Timeout);
        }
        finally
        {
            _pendingV3.TryRemove(messageId, out _);
        }
    }

    private static UsmError ReportedError(Pdu report)
    {
        var oid = report.VarBinds.Count > 0 ? report.VarBinds[0].Oid : null;
        return oid is not null && oid.IsChildOf(V3Message.UsmStats) && oid.Length == V3Message.UsmStats.Length + 2 && Enum.IsDefined((UsmError)oid.Arcs[^2])
            ? (UsmError)oid.Arcs[^2]
            : throw new SnmpDecodeException($"report: unexpected report {oid}");
    }

    private EngineState Remember(IPEndPoint endPoint, EngineState engine) => _engines[endPoint] = engine;

    private byte[] LocalizedKey(AuthProtocol protocol, string password, byte[] engineId) =>
        _localizedKeys.GetOrAdd($"{protocol}|{Convert.ToHexString(engineId)}|{password}", _ => Usm.LocalizeKey(protocol, password, engineId));
}
