namespace Serverless.Cli;

/// <summary>Reads the files commands take (templates, pools), naming the file when it cannot.</summary>
internal static class Files
{
    public static string Read(FileInfo file)
    {
        try
        {
            return File.ReadAllText(file.FullName);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new CliUsageException($"cannot read {file.FullName}: {exception.Message}");
        }
    }

    public static bool IsYaml(FileInfo file) => file.Extension.ToLowerInvariant() is ".yaml" or ".yml";
}
