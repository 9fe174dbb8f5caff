namespace Serverless.ControlPlane.Pools;

/// <summary>One member moving from one state to another, and why.</summary>
public sealed record MemberChange(string MemberId, MemberState From, MemberState To, string Reason);
