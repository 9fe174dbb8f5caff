using System.Text.Json.Serialization;
using Serverless.Contracts.Serialization;

namespace Serverless.ControlPlane.Instances;

/// <summary>What a tenant can ask of an instance after its launch.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<InstanceAction>))]
public enum InstanceAction
{
    Start,
    Stop,
    Restart,

    /// <summary>Quiesce: pause in memory.</summary>
    Suspend,
    Resume,

    /// <summary>Destroy, undefine and delete the disk.</summary>
    Terminate,

    /// <summary>Move to another host through a migration (never asked through the action routes).</summary>
    Migrate,
}
