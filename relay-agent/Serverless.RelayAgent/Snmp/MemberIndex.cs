namespace Serverless.RelayAgent.Snmp;

/// <summary>A member's index arcs as commands give them: digits and dots, such as <c>3</c> or <c>1.4</c>.</summary>
public static class MemberIndex
{
    public static bool IsValid(string? index) =>
        !string.IsNullOrEmpty(index) && index.All(c => char.IsAsciiDigit(c) || c == '.') && !index.StartsWith('.') && !index.EndsWith('.');
}
