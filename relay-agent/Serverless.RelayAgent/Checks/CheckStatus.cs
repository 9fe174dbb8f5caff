namespace Serverless.RelayAgent.Checks;

public enum CheckStatus
{
    Ok,
    Failed,
    Skipped,
}
