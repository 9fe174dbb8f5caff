namespace Serverless.ControlPlane.Commands;

/// <summary>Whether a reported result was new or a repeat of one already taken.</summary>
public enum ResultAcceptance
{
    Accepted,
    Duplicate,
}
