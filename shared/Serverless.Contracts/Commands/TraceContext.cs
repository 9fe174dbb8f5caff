namespace Serverless.Contracts.Commands;

/// <summary>W3C trace context (<c>traceparent</c>, <c>tracestate</c>).</summary>
/// <param name="TraceParent">The <c>traceparent</c> header value.</param>
/// <param name="TraceState">The <c>tracestate</c> header value, if any.</param>
public sealed record TraceContext(string TraceParent, string? TraceState);
