namespace Serverless.ServiceBusEmulator.Configuration;

/// <summary>Rights a shared access policy grants, as in Service Bus.</summary>
[Flags]
public enum AccessRights
{
    None = 0,
    Listen = 1,
    Send = 2,
    Manage = 4 | Listen | Send,
}
