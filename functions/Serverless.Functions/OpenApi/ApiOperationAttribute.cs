namespace Serverless.Functions.OpenApi;

/// <summary>
/// Describes an HTTP function for the OpenAPI document: what it does, its body and answer, its query parameters and
/// the problems it may answer. Every HTTP function carries one; a test keeps it that way.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ApiOperationAttribute(string summary) : Attribute
{
    public string Summary { get; } = summary;

    /// <summary>The JSON body it reads, if any.</summary>
    public Type? Request { get; set; }

    /// <summary>The JSON body of its success answer, if any.</summary>
    public Type? Response { get; set; }

    /// <summary>The media type of a success answer that is not JSON (the console's files), described as text.</summary>
    public string? ContentType { get; set; }

    /// <summary>The success status: 200, 201 or 202.</summary>
    public int Status { get; set; } = 200;

    /// <summary>Problem statuses beyond the ones every route may answer (401 for a missing key, 500, 503).</summary>
    public int[] Problems { get; set; } = [];

    /// <summary>Query parameters as <c>name:type:description</c>, type one of integer, boolean, string.</summary>
    public string[] Query { get; set; } = [];

    /// <summary>Who may call it: tenant (function key + tenant credential), admin (master key), agent (agent credential) or anyone.</summary>
    public ApiCaller Caller { get; set; } = ApiCaller.Tenant;
}
