namespace Serverless.Contracts.Commands;

/// <summary>Command kinds the agent understands.</summary>
public static class CommandKinds
{
    /// <summary>Answers with the agent's identity and clock: proves the channel end to end.</summary>
    public const string Ping = "agent.ping";

    /// <summary>Answers with the agent's version, uptime, session state and recent command counts.</summary>
    public const string Diagnostics = "agent.diagnostics";

    /// <summary>Tests a candidate resource for registration.</summary>
    public const string VerifyCapabilities = "capabilities.verify";

    /// <summary>Reads OIDs from an SNMP agent.</summary>
    public const string SnmpGet = "snmp.get";

    /// <summary>Sets OIDs on an SNMP agent.</summary>
    public const string SnmpSet = "snmp.set";

    /// <summary>Reads an SNMP subtree.</summary>
    public const string SnmpWalk = "snmp.walk";

    /// <summary>Puts a pool member into service.</summary>
    public const string ActivateMember = "member.activate";

    /// <summary>Takes a pool member out of service.</summary>
    public const string DeactivateMember = "member.deactivate";

    /// <summary>Reads the load metrics of pool members.</summary>
    public const string PollMetrics = "metrics.poll";

    /// <summary>Shuts an instance on a virtualization host down, destroying it after a grace period.</summary>
    public const string StopInstance = "instance.stop";

    /// <summary>Releases what the agent holds for a resource that is being unregistered.</summary>
    public const string UninstallResource = "resource.uninstall";

    /// <summary>Starts an instance on a virtualization host.</summary>
    public const string StartInstance = "instance.start";

    /// <summary>Makes the agent poll members' metrics on an interval and post them to the uplink.</summary>
    public const string SubscribeMetrics = "metrics.subscribe";

    /// <summary>Report every domain of a host and its state (<see cref="Instances.InstanceListPayload"/>).</summary>
    public const string ListInstances = "instance.list";

    /// <summary>Takes a domain the control plane did not make under management (<see cref="Instances.InstanceAdoptPayload"/>).</summary>
    public const string AdoptInstance = "instance.adopt";

    /// <summary>Clones an image's volume and defines an instance's domain (<see cref="Instances.InstanceDefinePayload"/>).</summary>
    public const string DefineInstance = "instance.define";

    /// <summary>Restarts an instance's guest.</summary>
    public const string RebootInstance = "instance.reboot";

    /// <summary>Pauses an instance in memory (quiesce).</summary>
    public const string SuspendInstance = "instance.suspend";

    /// <summary>Resumes a paused instance.</summary>
    public const string ResumeInstance = "instance.resume";

    /// <summary>Destroys an instance: powered off, undefined, its disk deleted.</summary>
    public const string TerminateInstance = "instance.terminate";

    /// <summary>Reads what a migration's preflight needs of a domain (<see cref="Migrations.InstanceDescribePayload"/>).</summary>
    public const string DescribeInstance = "instance.describe";

    /// <summary>Asks a migration's target whether it can restore a domain (<see cref="Migrations.RestoreCheckPayload"/>).</summary>
    public const string CheckRestore = "instance.restoreCheck";

    /// <summary>Connects to a migrated instance's TCP port at its target (<see cref="Migrations.HealthCheckPayload"/>).</summary>
    public const string CheckInstanceHealth = "instance.healthCheck";

    /// <summary>Saves a quiesced domain's memory to a state file (<see cref="Migrations.InstanceSavePayload"/>).</summary>
    public const string SaveInstance = "instance.save";

    /// <summary>Sends a saved state file or a disk to its blob (<see cref="Migrations.InstanceUploadPayload"/>).</summary>
    public const string UploadInstance = "instance.upload";

    /// <summary>Downloads a migration's blobs and restores the domain paused (<see cref="Migrations.InstanceRestorePayload"/>).</summary>
    public const string RestoreInstance = "instance.restore";

    /// <summary>Restores a migration's source from its own state file, running (<see cref="Migrations.InstanceRevertPayload"/>).</summary>
    public const string RevertInstance = "instance.revert";

    /// <summary>Removes a migrated instance's saved source (<see cref="Migrations.InstanceReleasePayload"/>).</summary>
    public const string ReleaseInstance = "instance.release";
}
