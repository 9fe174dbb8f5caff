namespace Serverless.ControlPlane.Health;

/// <summary>Checks that one dependency answers; throws or returns an unhealthy result when it does not.</summary>
public interface IHealthProbe
{
    string Name { get; }

    Task CheckAsync(CancellationToken cancellationToken);
}
