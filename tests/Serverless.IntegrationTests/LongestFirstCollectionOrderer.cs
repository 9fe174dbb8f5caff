using Xunit.Abstractions;

[assembly: TestCollectionOrderer("Serverless.IntegrationTests.LongestFirstCollectionOrderer", "Serverless.IntegrationTests")]

namespace Serverless.IntegrationTests;

/// <summary>
/// Starts the collections that take most of the run first. xUnit runs as many collections at once as there are cores
/// and starts the next only when one ends; in its own order the long ones started after the short ones, so the run
/// lasted the short ones plus the longest instead of about the longest. The packaging tests (minutes of native build,
/// then seconds of tests) go beside the command channel tests while the crash matrices wait, so the build's CPU is
/// taken from tests that mostly wait on agents rather than from the matrices' timed kills.
/// </summary>
public sealed class LongestFirstCollectionOrderer : ITestCollectionOrderer
{
    private static readonly string[] Longest = [CommandChannelCollection.Name, PackagingCollection.Name, CrashCollection.Name];

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections
            .Select((collection, index) => (collection, index, rank: Array.IndexOf(Longest, collection.DisplayName)))
            .OrderBy(c => c.rank < 0 ? Longest.Length : c.rank)
            .ThenBy(c => c.index)
            .Select(c => c.collection);
}
