using System.Text.Json.Serialization;
using Serverless.Contracts.Serialization;

namespace Serverless.ControlPlane.Stacks;

/// <summary>What a rollout does when a step fails.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<FailureMode>))]
public enum FailureMode
{
    /// <summary>Undo what this run did, in reverse order.</summary>
    Rollback,

    /// <summary>Stop where it failed; retry or roll back later.</summary>
    Keep,
}
