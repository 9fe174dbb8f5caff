using System.Collections.Concurrent;
using System.Net;
using Google.Protobuf;

namespace Serverless.Testing;

/// <summary>A span as an OTLP exporter sent it: ids in lower-case hex, the exporting service from its resource.</summary>
public sealed record ReceivedSpan(
    string Service,
    string Scope,
    string TraceId,
    string SpanId,
    string ParentSpanId,
    string Name,
    int Kind,
    ulong StartUnixNano,
    ulong EndUnixNano,
    IReadOnlyDictionary<string, string> Attributes,
    int StatusCode)
{
    public string? Attribute(string key) => Attributes.GetValueOrDefault(key);
}

/// <summary>A log record as an OTLP exporter sent it.</summary>
public sealed record ReceivedLog(string Service, string TraceId, string SpanId, string Body, IReadOnlyDictionary<string, string> Attributes);

/// <summary>
/// An OTLP/HTTP (protobuf) collector on a free loopback port for tests: takes <c>/v1/traces</c>, <c>/v1/logs</c> and
/// <c>/v1/metrics</c>, decoded with the protobuf wire reader (the OTLP schema's field numbers, no generated code), and
/// keeps what it got. Point exporters at it with <see cref="Environment"/>.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<ReceivedSpan> _spans = new();
    private readonly ConcurrentQueue<ReceivedLog> _logs = new();
    private readonly ConcurrentDictionary<(string Service, string Metric), byte> _metrics = new();
    private readonly Task _serving;

    private OtlpReceiver(int port)
    {
        Endpoint = new Uri($"http://127.0.0.1:{port}");
        _listener.Prefixes.Add($"{Endpoint}");
        _listener.Start();
        _serving = ServeAsync();
    }

    public Uri Endpoint { get; }

    public IReadOnlyList<ReceivedSpan> Spans => [.. _spans];

    public IReadOnlyList<ReceivedLog> Logs => [.. _logs];

    /// <summary>(service, metric name) pairs seen in metric exports.</summary>
    public IReadOnlyCollection<(string Service, string Metric)> Metrics => [.. _metrics.Keys];

    /// <summary>The standard settings that send a process's traces, metrics and logs here, exported within half a second.</summary>
    public IReadOnlyDictionary<string, string> Environment(string serviceName) => new Dictionary<string, string>
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Endpoint.ToString().TrimEnd('/'),
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["OTEL_SERVICE_NAME"] = serviceName,
        ["OTEL_BSP_SCHEDULE_DELAY"] = "500",
        ["OTEL_BLRP_SCHEDULE_DELAY"] = "500",
        ["OTEL_METRIC_EXPORT_INTERVAL"] = "1000",
    };

    public static OtlpReceiver Start() => new(FreePorts.Next());

    public IReadOnlyList<ReceivedSpan> Trace(string traceId) => [.. _spans.Where(s => s.TraceId == traceId)];

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            await _serving;
        }
        catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException)
        {
            // Stopping the listener ends the pending accept with one of these.
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            var status = HttpStatusCode.OK;
            try
            {
                switch (context.Request.Url?.AbsolutePath)
                {
                    case "/v1/traces":
                        ReadTraces(body.ToArray());
                        break;
                    case "/v1/logs":
                        ReadLogs(body.ToArray());
                        break;
                    case "/v1/metrics":
                        ReadMetrics(body.ToArray());
                        break;
                    default:
                        status = HttpStatusCode.NotFound;
                        break;
                }
            }
            catch (InvalidProtocolBufferException)
            {
                status = HttpStatusCode.BadRequest;
            }

            context.Response.StatusCode = (int)status;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
    }

    // ExportTraceServiceRequest: 1 resource_spans { 1 resource, 2 scope_spans { 1 scope, 2 spans } }.
    private void ReadTraces(byte[] request)
    {
        foreach (var resourceSpans in Repeated(request, 1))
        {
            var service = ServiceOf(resourceSpans);
            foreach (var scopeSpans in Repeated(resourceSpans, 2))
            {
                var scope = Single(scopeSpans, 1) is { } scopeBytes ? StringField(scopeBytes, 1) : string.Empty;
                foreach (var span in Repeated(scopeSpans, 2))
                {
                    _spans.Enqueue(ReadSpan(service, scope, span));
                }
            }
        }
    }

    // Span: 1 trace_id, 2 span_id, 4 parent_span_id, 5 name, 6 kind, 7 start, 8 end (fixed64), 9 attributes, 15 status { 3 code }.
    private static ReceivedSpan ReadSpan(string service, string scope, byte[] span)
    {
        string traceId = string.Empty, spanId = string.Empty, parent = string.Empty, name = string.Empty;
        int kind = 0, statusCode = 0;
        ulong start = 0, end = 0;
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        var input = new CodedInputStream(span);
        for (var tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: traceId = Convert.ToHexStringLower(input.ReadBytes().ToByteArray()); break;
                case 2: spanId = Convert.ToHexStringLower(input.ReadBytes().ToByteArray()); break;
                case 4: parent = Convert.ToHexStringLower(input.ReadBytes().ToByteArray()); break;
                case 5: name = input.ReadString(); break;
                case 6: kind = input.ReadEnum(); break;
                case 7: start = input.ReadFixed64(); break;
                case 8: end = input.ReadFixed64(); break;
                case 9: AddAttribute(input.ReadBytes().ToByteArray(), attributes); break;
                case 15: statusCode = (int)(IntField(input.ReadBytes().ToByteArray(), 3) ?? 0); break;
                default: input.SkipLastField(); break;
            }
        }

        return new ReceivedSpan(service, scope, traceId, spanId, parent, name, kind, start, end, attributes, statusCode);
    }

    // ExportLogsServiceRequest: 1 resource_logs { 1 resource, 2 scope_logs { 2 log_records { 5 body, 6 attributes, 9 trace_id, 10 span_id } } }.
    private void ReadLogs(byte[] request)
    {
        foreach (var resourceLogs in Repeated(request, 1))
        {
            var service = ServiceOf(resourceLogs);
            foreach (var record in Repeated(resourceLogs, 2).SelectMany(scopeLogs => Repeated(scopeLogs, 2)))
            {
                string traceId = string.Empty, spanId = string.Empty, body = string.Empty;
                var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
                var input = new CodedInputStream(record);
                for (var tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
                {
                    switch (WireFormat.GetTagFieldNumber(tag))
                    {
                        case 5: body = AnyValueText(input.ReadBytes().ToByteArray()); break;
                        case 6: AddAttribute(input.ReadBytes().ToByteArray(), attributes); break;
                        case 9: traceId = Convert.ToHexStringLower(input.ReadBytes().ToByteArray()); break;
                        case 10: spanId = Convert.ToHexStringLower(input.ReadBytes().ToByteArray()); break;
                        default: input.SkipLastField(); break;
                    }
                }

                _logs.Enqueue(new ReceivedLog(service, traceId, spanId, body, attributes));
            }
        }
    }

    // ExportMetricsServiceRequest: 1 resource_metrics { 1 resource, 2 scope_metrics { 2 metrics { 1 name } } }.
    private void ReadMetrics(byte[] request)
    {
        foreach (var resourceMetrics in Repeated(request, 1))
        {
            var service = ServiceOf(resourceMetrics);
            foreach (var metric in Repeated(resourceMetrics, 2).SelectMany(scopeMetrics => Repeated(scopeMetrics, 2)))
            {
                _metrics.TryAdd((service, StringField(metric, 1)), 0);
            }
        }
    }

    // Resource: 1 attributes; the service is its service.name.
    private static string ServiceOf(byte[] resourceContainer)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Single(resourceContainer, 1) is { } resource)
        {
            foreach (var attribute in Repeated(resource, 1))
            {
                AddAttribute(attribute, attributes);
            }
        }

        return attributes.GetValueOrDefault("service.name", string.Empty);
    }

    // KeyValue: 1 key, 2 value (AnyValue).
    private static void AddAttribute(byte[] keyValue, Dictionary<string, string> into)
    {
        var key = StringField(keyValue, 1);
        into[key] = Single(keyValue, 2) is { } value ? AnyValueText(value) : string.Empty;
    }

    // AnyValue: 1 string, 2 bool, 3 int64, 4 double; others as their bytes' length.
    private static string AnyValueText(byte[] anyValue)
    {
        var input = new CodedInputStream(anyValue);
        for (var tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: return input.ReadString();
                case 2: return input.ReadBool() ? "true" : "false";
                case 3: return input.ReadInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
                case 4: return input.ReadDouble().ToString(System.Globalization.CultureInfo.InvariantCulture);
                default: input.SkipLastField(); break;
            }
        }

        return string.Empty;
    }

    private static IEnumerable<byte[]> Repeated(byte[] message, int field)
    {
        var input = new CodedInputStream(message);
        var found = new List<byte[]>();
        for (var tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
        {
            if (WireFormat.GetTagFieldNumber(tag) == field && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
            {
                found.Add(input.ReadBytes().ToByteArray());
            }
            else
            {
                input.SkipLastField();
            }
        }

        return found;
    }

    private static byte[]? Single(byte[] message, int field) => Repeated(message, field).LastOrDefault();

    private static string StringField(byte[] message, int field) =>
        Single(message, field) is { } bytes ? System.Text.Encoding.UTF8.GetString(bytes) : string.Empty;

    private static long? IntField(byte[] message, int field)
    {
        var input = new CodedInputStream(message);
        long? value = null;
        for (var tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
        {
            if (WireFormat.GetTagFieldNumber(tag) == field && WireFormat.GetTagWireType(tag) == WireFormat.WireType.Varint)
            {
                value = input.ReadInt64();
            }
            else
            {
                input.SkipLastField();
            }
        }

        return value;
    }
}
