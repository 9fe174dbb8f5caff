using Xunit.Abstractions;

[assembly: TestCollectionOrderer("Serverless.IntegrationTests.LongestFirstCollectionOrderer", "Serverless.IntegrationTests")]

namespace Serverless.IntegrationTests;

/// <summary>
/// Starts the two collections that take most of the run first. xUnit runs as many collections at once as there are
/// cores and starts the next only when one ends; in its own order the long ones started after the short ones, so the
/// run lasted the short ones plus the longest instead of about the longest.
/// </summary>
public sealed class LongestFirstCollectionOrderer : ITestCollectionOrderer
{
    private static readonly string[] Longest = [CommandChannelCollection.Name, CrashCollection.Name];

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections
            .Select((collection, index) => (collection, index, rank: Array.IndexOf(Longest, collection.DisplayName)))
            .OrderBy(c => c.rank < 0 ? Longest.Length : c.rank)
            .ThenBy(c => c.index)
            .Select(c => c.collection);
}
