using Serverless.RelayAgent.Snmp;
using Serverless.Snmp;

namespace Serverless.RelayAgent.Tests;

public sealed class CounterRatesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Observe_FirstReading_GivesNoRate_ThenDeltaPerSecond()
    {
        var rates = new CounterRates();

        Assert.Null(rates.Observe("m", "net.in.bytes", SnmpValue.Counter64(1_000), 1_000, T0));
        Assert.Equal(250, rates.Observe("m", "net.in.bytes", SnmpValue.Counter64(3_000), 3_000, T0.AddSeconds(8)));
        Assert.Null(rates.Observe("other", "net.in.bytes", SnmpValue.Counter64(9_000), 9_000, T0.AddSeconds(8)));
    }

    [Fact]
    public void Observe_Counter32ThatWentDown_WrappedAt2To32()
    {
        var rates = new CounterRates();
        rates.Observe("m", "c", SnmpValue.Counter32(uint.MaxValue - 99), uint.MaxValue - 99, T0);

        Assert.Equal(30, rates.Observe("m", "c", SnmpValue.Counter32(200), 200, T0.AddSeconds(10)));
    }

    [Fact]
    public void Observe_Counter64ThatWentDown_WasResetAndGivesNoRateUntilTheNextReading()
    {
        var rates = new CounterRates();
        rates.Observe("m", "c", SnmpValue.Counter64(5_000), 5_000, T0);

        Assert.Null(rates.Observe("m", "c", SnmpValue.Counter64(10), 10, T0.AddSeconds(1)));
        Assert.Equal(90, rates.Observe("m", "c", SnmpValue.Counter64(100), 100, T0.AddSeconds(2)));
    }

    [Fact]
    public void Observe_ClockThatDidNotAdvance_GivesNoRate_AndForgetDropsOldReadings()
    {
        var rates = new CounterRates();
        rates.Observe("m", "c", SnmpValue.Counter64(1), 1, T0);
        Assert.Null(rates.Observe("m", "c", SnmpValue.Counter64(2), 2, T0));
        rates.Observe("n", "c", SnmpValue.Counter64(1), 1, T0.AddHours(2));

        rates.Forget(T0.AddHours(1));

        Assert.Equal(1, rates.Count);
        Assert.Null(rates.Observe("m", "c", SnmpValue.Counter64(5), 5, T0.AddHours(2)));
    }
}
