using System;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace MailIdentity.FaultDns;

/// <summary>
/// One record the server serves, read from a line "name TYPE data" (the format of the lab's
/// lab-hosts.json <c>records</c>), optionally "name TTL TYPE data". Types: A, AAAA, PTR, CNAME, MX.
/// </summary>
public sealed class ZoneRecord
{
    /// <summary>The TTL used when a line gives none, as in the lab.</summary>
    public const int DefaultTimeToLive = 300;

    private ZoneRecord(string name, string type, int timeToLive, IPAddress? address, string? target, int preference)
    {
        Name = name;
        Type = type;
        TimeToLive = timeToLive;
        Address = address;
        Target = target;
        Preference = preference;
    }

    /// <summary>The owner name, lower case, without the trailing dot.</summary>
    public string Name { get; }

    /// <summary>A, AAAA, PTR, CNAME or MX.</summary>
    public string Type { get; }

    /// <summary>The TTL in seconds.</summary>
    public int TimeToLive { get; }

    /// <summary>The address of an A or AAAA record.</summary>
    public IPAddress? Address { get; }

    /// <summary>The host name of a PTR, CNAME or MX record.</summary>
    public string? Target { get; }

    /// <summary>The preference of an MX record.</summary>
    public int Preference { get; }

    /// <summary>The wire type code.</summary>
    public ushort TypeCode => TypeCodeOf(Type);

    /// <summary>Reads one line; throws <see cref="FormatException"/> naming the line when it is not a record.</summary>
    public static ZoneRecord Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 3)
        {
            throw new FormatException($"The zone line '{line}' is not 'name TYPE data'.");
        }

        var ttl = DefaultTimeToLive;
        var at = 1;
        if (int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var parsedTtl))
        {
            ttl = parsedTtl;
            at = 2;
            if (parts.Length < 4)
            {
                throw new FormatException($"The zone line '{line}' is not 'name TTL TYPE data'.");
            }
        }

        var name = NormalizeName(parts[0]);
        var type = parts[at].ToUpperInvariant();
        var data = parts[(at + 1)..];
        Check(name, line);
        switch (type)
        {
            case "A":
            case "AAAA":
                var family = type == "A" ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;
                if (data.Length != 1 || !IPAddress.TryParse(data[0], out var address) || address.AddressFamily != family)
                {
                    throw new FormatException($"The zone line '{line}' needs one {(type == "A" ? "IPv4" : "IPv6")} address after {type}.");
                }

                return new ZoneRecord(name, type, ttl, address, null, 0);
            case "PTR":
            case "CNAME":
                if (data.Length != 1)
                {
                    throw new FormatException($"The zone line '{line}' needs one host name after {type}.");
                }

                var target = NormalizeName(data[0]);
                Check(target, line);
                return new ZoneRecord(name, type, ttl, null, target, 0);
            case "MX":
                if (data.Length != 2 || !int.TryParse(data[0], NumberStyles.None, CultureInfo.InvariantCulture, out var preference) || preference > 65535)
                {
                    throw new FormatException($"The zone line '{line}' needs 'preference host' after MX.");
                }

                var exchange = NormalizeName(data[1]);
                Check(exchange, line);
                return new ZoneRecord(name, type, ttl, null, exchange, preference);
            default:
                throw new FormatException($"The zone line '{line}' has the type '{parts[at]}'; the server knows A, AAAA, PTR, CNAME and MX.");
        }
    }

    /// <summary>An A or AAAA record made in code (the 'large' fault's filler).</summary>
    public static ZoneRecord ForAddress(string name, IPAddress address, int timeToLive = DefaultTimeToLive)
    {
        ArgumentNullException.ThrowIfNull(address);
        return new ZoneRecord(NormalizeName(name), address.AddressFamily == AddressFamily.InterNetworkV6 ? "AAAA" : "A", timeToLive, address, null, 0);
    }

    /// <summary>A PTR, CNAME or MX record made in code.</summary>
    public static ZoneRecord ForName(string name, string type, string target, int preference = 0, int timeToLive = DefaultTimeToLive) =>
        new(NormalizeName(name), type, timeToLive, null, NormalizeName(target), preference);

    /// <summary>Lower case, no trailing dot.</summary>
    public static string NormalizeName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var value = name.Trim();
        if (value.EndsWith('.'))
        {
            value = value[..^1];
        }

        return value.ToLowerInvariant();
    }

    /// <summary>The wire code of a type name, 0 when unknown.</summary>
    public static ushort TypeCodeOf(string type) => type switch
    {
        "A" => 1,
        "CNAME" => 5,
        "PTR" => 12,
        "MX" => 15,
        "AAAA" => 28,
        _ => 0,
    };

    /// <inheritdoc />
    public override string ToString() => Type switch
    {
        "A" or "AAAA" => $"{Name} {TimeToLive} {Type} {Address}",
        "MX" => $"{Name} {TimeToLive} MX {Preference} {Target}",
        _ => $"{Name} {TimeToLive} {Type} {Target}",
    };

    private static void Check(string name, string line)
    {
        if (!DnsWire.IsWritableName(name, out var problem))
        {
            throw new FormatException($"The zone line '{line}' has a name that cannot be served: {problem}.");
        }
    }
}
