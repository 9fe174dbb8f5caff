namespace Serverless.ControlPlane.Agents;

public interface IEnrolmentStore
{
    Task<Enrolment?> GetAsync(string enrolmentId, CancellationToken cancellationToken);

    Task AddAsync(Enrolment enrolment, CancellationToken cancellationToken);

    /// <summary>Replaces <paramref name="updated"/> if the stored one still has its <see cref="Enrolment.Version"/>; false if it changed meanwhile.</summary>
    Task<bool> TryReplaceAsync(Enrolment updated, CancellationToken cancellationToken);
}
