using System.Globalization;
using System.Text;

namespace Serverless.Snmp;

/// <summary>An OBJECT IDENTIFIER such as <c>1.3.6.1.2.1.1.1.0</c>: immutable, comparable in MIB (lexicographic) order.</summary>
public sealed class Oid : IEquatable<Oid>, IComparable<Oid>
{
    private readonly uint[] _arcs;

    public Oid(params uint[] arcs)
    {
        ArgumentNullException.ThrowIfNull(arcs);
        if (arcs.Length < 2 || arcs[0] > 2 || (arcs[0] < 2 && arcs[1] > 39) || arcs.Length > 128)
        {
            throw new ArgumentException($"'{string.Join('.', arcs)}' is not a valid OID: it needs 2 to 128 arcs, the first 0-2, the second below 40 unless the first is 2.", nameof(arcs));
        }

        _arcs = (uint[])arcs.Clone();
    }

    public ReadOnlySpan<uint> Arcs => _arcs;

    public int Length => _arcs.Length;

    public static Oid Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.TrimStart('.').Split('.');
        var arcs = new uint[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!uint.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out arcs[i]))
            {
                throw new FormatException($"'{text}' is not a dotted OID: arc {i + 1} ('{parts[i]}') is not a number from 0 to {uint.MaxValue}.");
            }
        }

        return new Oid(arcs);
    }

    /// <summary>True when this OID lies under <paramref name="root"/> (and is not the root itself).</summary>
    public bool IsChildOf(Oid root) => _arcs.Length > root._arcs.Length && _arcs.AsSpan(0, root._arcs.Length).SequenceEqual(root._arcs);

    public Oid Append(params uint[] arcs) => new([.. _arcs, .. arcs]);

    public int CompareTo(Oid? other)
    {
        if (other is null)
        {
            return 1;
        }

        var common = Math.Min(_arcs.Length, other._arcs.Length);
        for (var i = 0; i < common; i++)
        {
            if (_arcs[i] != other._arcs[i])
            {
                return _arcs[i].CompareTo(other._arcs[i]);
            }
        }

        return _arcs.Length.CompareTo(other._arcs.Length);
    }

    public bool Equals(Oid? other) => other is not null && _arcs.AsSpan().SequenceEqual(other._arcs);

    public override bool Equals(object? obj) => Equals(obj as Oid);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var arc in _arcs)
        {
            hash.Add(arc);
        }

        return hash.ToHashCode();
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var arc in _arcs)
        {
            if (text.Length > 0)
            {
                text.Append('.');
            }

            text.Append(arc.ToString(CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    public static bool operator ==(Oid? left, Oid? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(Oid? left, Oid? right) => !(left == right);

    public static bool operator <(Oid left, Oid right) => left.CompareTo(right) < 0;

    public static bool operator >(Oid left, Oid right) => left.CompareTo(right) > 0;

    public static bool operator <=(Oid left, Oid right) => left.CompareTo(right) <= 0;

    public static bool operator >=(Oid left, Oid right) => left.CompareTo(right) >= 0;
}
