using Serverless.Contracts.Instances;

namespace Serverless.Contracts.Migrations;

/// <summary>Output of <c>instance.restore</c>.</summary>
/// <param name="Name">The restored domain's name.</param>
/// <param name="State">Its state (paused).</param>
/// <param name="Volume">Its disk at the target.</param>
/// <param name="BytesDownloaded">What was downloaded.</param>
/// <param name="Seconds">How long the download and restore took.</param>
public sealed record InstanceRestoreOutput(string Name, InstanceState State, InstanceVolume? Volume, long BytesDownloaded, double Seconds);
