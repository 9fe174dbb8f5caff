namespace Serverless.ControlPlane.Agents;

/// <summary>A new enrolment and its code, which is shown this once.</summary>
public sealed record CreatedEnrolment(Enrolment Enrolment, string Code);
