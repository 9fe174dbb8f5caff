using Serverless.Cli;

var parsed = CliCommands.Build().Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors)
    {
        Console.Error.WriteLine($"error: {error.Message}");
    }

    Console.Error.WriteLine("See 'hybrid --help'.");
    return ExitCodes.Usage;
}

return await parsed.InvokeAsync();
