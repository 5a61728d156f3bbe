namespace MailIdentity.Dns;

/// <summary>One resource record of an answer, reduced to what the checks need.</summary>
public sealed class DnsRecordData
{
    public DnsRecordData(string name, string type, string value, int timeToLive)
    {
        Name = name;
        Type = type;
        Value = value;
        TimeToLive = timeToLive;
    }

    /// <summary>The owner name, normalised (lower case, no trailing dot).</summary>
    public string Name { get; }

    /// <summary>The record type: PTR, A, AAAA, CNAME, MX.</summary>
    public string Type { get; }

    /// <summary>The data: a host name (normalised) or an address; for MX, the exchange host.</summary>
    public string Value { get; }

    /// <summary>The TTL in seconds as served.</summary>
    public int TimeToLive { get; }

    /// <summary>For MX records, the preference; 0 otherwise.</summary>
    public int Preference { get; init; }

    public override string ToString() => $"{Name} {TimeToLive} {Type} {Value}";
}
