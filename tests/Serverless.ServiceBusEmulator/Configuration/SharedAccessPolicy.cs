namespace Serverless.ServiceBusEmulator.Configuration;

/// <summary>A named key and the rights a token signed with it carries.</summary>
public sealed record SharedAccessPolicy(string KeyName, string Key, AccessRights Rights);
