namespace Serverless.Functions.LocalHost.Http;

internal sealed record TriggerBindingView(string Type, string Name, string? AuthLevel, IReadOnlyList<string>? Methods, string? Route, string? Schedule);
