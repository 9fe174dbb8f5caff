namespace Serverless.Contracts.Instances;

/// <summary>Output of <c>instance.terminate</c>.</summary>
/// <param name="Name">The domain's name.</param>
/// <param name="DomainRemoved">Whether this command undefined a domain (false: there was none of the instance's).</param>
/// <param name="VolumeRemoved">Whether this command deleted the disk (false: there was none).</param>
public sealed record InstanceTerminateOutput(string Name, bool DomainRemoved, bool VolumeRemoved);
