namespace Serverless.Snmp.Profiles;

/// <summary>An OID with an optional <c>{member}</c> placeholder for the member's index arcs.</summary>
public sealed record OidTemplate(string Text)
{
    public const string MemberPlaceholder = "{member}";

    public bool HasMember => Text.Contains(MemberPlaceholder, StringComparison.Ordinal);

    public static OidTemplate Parse(string text, string path)
    {
        if (text.Contains(MemberPlaceholder, StringComparison.Ordinal) && !text.EndsWith("." + MemberPlaceholder, StringComparison.Ordinal))
        {
            throw new DeviceProfileException($"{path}: '{text}': {{member}} may only end the OID, as '.{{member}}'");
        }

        try
        {
            Oid.Parse(text.Replace(MemberPlaceholder, "0", StringComparison.Ordinal));
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException)
        {
            throw new DeviceProfileException($"{path}: {exception.Message}");
        }

        return new OidTemplate(text);
    }

    /// <summary>The OID for a member index such as <c>3</c> or <c>1.4</c>.</summary>
    public Oid Resolve(string? member)
    {
        if (HasMember && string.IsNullOrEmpty(member))
        {
            throw new ArgumentException($"'{Text}' needs a member index.", nameof(member));
        }

        return Oid.Parse(HasMember ? Text.Replace(MemberPlaceholder, member, StringComparison.Ordinal) : Text);
    }
}
