using Serverless.Contracts.Commands;
using Serverless.Libvirt;
using Serverless.RelayAgent.Handlers;

namespace Serverless.RelayAgent.Migration;

/// <summary>What every migration step checks first: that a domain of the name is the instance's, never someone else's.</summary>
public static class MigrationChecks
{
    /// <summary>The domain's XML when it carries <paramref name="instanceId"/>; null when there is no domain of the name; a failure when it is another's.</summary>
    public static string? OwnedDomainXml(LibvirtConnection connection, string name, string instanceId)
    {
        if (string.IsNullOrEmpty(name) || string.IsNullOrEmpty(instanceId))
        {
            throw CommandPayload.Invalid("name, instanceId: both required.");
        }

        string xml;
        try
        {
            xml = connection.GetDomainXml(name);
        }
        catch (DomainNotFoundException)
        {
            return null;
        }

        var owner = Libvirt.DomainDefinition.InstanceIdOf(xml);
        return owner == instanceId
            ? xml
            : throw new CommandFailure(CommandErrorKind.DeviceError, $"the domain named '{name}' on this host is not instance {instanceId}; it is left as it is.");
    }
}
