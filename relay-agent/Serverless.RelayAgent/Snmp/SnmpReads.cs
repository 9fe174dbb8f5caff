using Serverless.Snmp;

namespace Serverless.RelayAgent.Snmp;

/// <summary>Reads many OIDs from one device in GETs of bounded size.</summary>
public static class SnmpReads
{
    /// <summary>
    /// The value of every OID; a missing object reads as <c>noSuchObject</c>/<c>noSuchInstance</c>, also from SNMPv1
    /// agents, whose noSuchName error is resolved by asking again without the binding at fault.
    /// </summary>
    public static async Task<Dictionary<Oid, SnmpValue>> ReadAsync(
        SnmpClient client, SnmpTarget target, IEnumerable<Oid> oids, int maxPerRequest, CancellationToken cancellationToken)
    {
        var values = new Dictionary<Oid, SnmpValue>();
        foreach (var chunk in oids.Distinct().Chunk(maxPerRequest))
        {
            var pending = chunk.ToList();
            while (pending.Count > 0)
            {
                var response = await client.SendAsync(target, Pdu.Get(pending), cancellationToken);
                if (response.ErrorStatus == ErrorStatus.NoSuchName && response.ErrorIndex >= 1 && response.ErrorIndex <= pending.Count)
                {
                    values[pending[response.ErrorIndex - 1]] = SnmpValue.NoSuchObject;
                    pending.RemoveAt(response.ErrorIndex - 1);
                    continue;
                }

                if (response.ErrorStatus != ErrorStatus.NoError)
                {
                    var index = response.ErrorIndex;
                    throw new SnmpErrorException(response.ErrorStatus, index, index >= 1 && index <= response.VarBinds.Count ? response.VarBinds[index - 1] : null);
                }

                foreach (var binding in response.VarBinds)
                {
                    values[binding.Oid] = binding.Value;
                }

                foreach (var oid in pending.Where(oid => !values.ContainsKey(oid)))
                {
                    values[oid] = SnmpValue.NoSuchObject;
                }

                pending.Clear();
            }
        }

        return values;
    }
}
