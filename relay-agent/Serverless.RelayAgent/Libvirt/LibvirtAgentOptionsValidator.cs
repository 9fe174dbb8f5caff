using Microsoft.Extensions.Options;

namespace Serverless.RelayAgent.Libvirt;

/// <summary>Checks the image map at start, so a typo is reported by name before a launch needs it.</summary>
public sealed class LibvirtAgentOptionsValidator : IValidateOptions<LibvirtAgentOptions>
{
    public ValidateOptionsResult Validate(string? name, LibvirtAgentOptions options)
    {
        var failures = options.Images
            .Where(image => options.BaseVolumeOf(image.Key) is null)
            .Select(image => $"{LibvirtAgentOptions.SectionName}:Images:{image.Key}: '{image.Value}' must be pool/volume, for example images/ubuntu.qcow2.")
            .ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
