namespace Serverless.Testing;

/// <summary>Polls a condition until it holds: for asynchronous outcomes, with a generous deadline instead of a sleep.</summary>
public static class Eventually
{
    /// <summary>Polls <paramref name="probe"/> every <paramref name="interval"/> (100 ms) until it answers a value.</summary>
    public static async Task<T> GetAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what, TimeSpan? interval = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = await probe();
            if (value is not null)
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s waiting for {what}.");
            }

            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(100));
        }
    }

    /// <summary>Polls until <paramref name="condition"/> holds.</summary>
    public static Task TrueAsync(Func<bool> condition, TimeSpan timeout, string what) =>
        GetAsync<object>(() => Task.FromResult<object?>(condition() ? new object() : null), timeout, what);
}
