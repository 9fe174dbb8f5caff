using Serverless.Snmp;

namespace Serverless.RelayAgent.Snmp;

/// <summary>Reads many OIDs from one device in GETs of bounded size, a few of them in flight at once.</summary>
public static class SnmpReads
{
    /// <summary>GETs in flight per device: enough to hide the round trip, few enough not to flood a small agent.</summary>
    public const int InFlight = 4;

    /// <summary>
    /// The value of every OID; a missing object reads as <c>noSuchObject</c>/<c>noSuchInstance</c>, also from SNMPv1
    /// agents, whose noSuchName error is resolved by asking again without the binding at fault.
    /// </summary>
    public static async Task<Dictionary<Oid, SnmpValue>> ReadAsync(
        SnmpClient client, SnmpTarget target, IEnumerable<Oid> oids, int maxPerRequest, CancellationToken cancellationToken)
    {
        var chunks = oids.Distinct().Chunk(maxPerRequest).ToArray();
        var answers = new List<KeyValuePair<Oid, SnmpValue>>[chunks.Length];
        for (var first = 0; first < chunks.Length; first += InFlight)
        {
            var wave = Enumerable.Range(first, Math.Min(InFlight, chunks.Length - first)).Select(async i => answers[i] = await ReadChunkAsync(client, target, chunks[i], cancellationToken));
            await Task.WhenAll(wave);
        }

        var values = new Dictionary<Oid, SnmpValue>(chunks.Sum(c => c.Length));
        foreach (var answer in answers)
        {
            foreach (var (oid, value) in answer)
            {
                values[oid] = value;
            }
        }

        return values;
    }

    private static async Task<List<KeyValuePair<Oid, SnmpValue>>> ReadChunkAsync(SnmpClient client, SnmpTarget target, Oid[] chunk, CancellationToken cancellationToken)
    {
        var values = new List<KeyValuePair<Oid, SnmpValue>>(chunk.Length);
        var pending = chunk.ToList();
        while (pending.Count > 0)
        {
            var response = await client.SendAsync(target, Pdu.Get(pending), cancellationToken);
            if (response.ErrorStatus == ErrorStatus.NoSuchName && response.ErrorIndex >= 1 && response.ErrorIndex <= pending.Count)
            {
                values.Add(new(pending[response.ErrorIndex - 1], SnmpValue.NoSuchObject));
                pending.RemoveAt(response.ErrorIndex - 1);
                continue;
            }

            if (response.ErrorStatus != ErrorStatus.NoError)
            {
                var index = response.ErrorIndex;
                throw new SnmpErrorException(response.ErrorStatus, index, index >= 1 && index <= response.VarBinds.Count ? response.VarBinds[index - 1] : null);
            }

            // An agent answers in request order; a binding it left out reads as missing.
            var answered = response.VarBinds.Count == pending.Count ? response.VarBinds : null;
            for (var i = 0; i < pending.Count; i++)
            {
                values.Add(new(pending[i], answered is not null && answered[i].Oid.Equals(pending[i]) ? answered[i].Value : Find(response.VarBinds, pending[i])));
            }

            pending.Clear();
        }

        return values;
    }

    private static SnmpValue Find(IReadOnlyList<VarBind> bindings, Oid oid) => bindings.FirstOrDefault(b => b.Oid.Equals(oid))?.Value ?? SnmpValue.NoSuchObject;
}
