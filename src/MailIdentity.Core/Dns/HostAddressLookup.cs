using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;

namespace MailIdentity.Dns;

/// <summary>The A and AAAA addresses of one or more host names, with the answers they came from.</summary>
public sealed class HostAddresses
{
    internal HostAddresses(IReadOnlyList<IPAddress> addresses, IReadOnlyList<DnsAnswer> answers)
    {
        Addresses = addresses;
        Answers = answers;
    }

    /// <summary>Every address found, without repeats, in name order, IPv4 before IPv6 for each name.</summary>
    public IReadOnlyList<IPAddress> Addresses { get; }

    /// <summary>The A and AAAA answers, two per name.</summary>
    public IReadOnlyList<DnsAnswer> Answers { get; }

    /// <summary>The first answer that failed temporarily, if any: when no address was found, the reason to say "try later".</summary>
    public DnsAnswer? TemporaryFailure => Answers.FirstOrDefault(a => a.Status.IsTemporaryFailure());
}

/// <summary>Resolves host names to every address a sender or receiver could use (a host is tested per address).</summary>
public static class HostAddressLookup
{
    public static async Task<HostAddresses> ResolveAsync(IDnsResolver resolver, IEnumerable<string> names, CancellationToken cancellationToken)
    {
        if (resolver is null)
        {
            throw new ArgumentNullException(nameof(resolver));
        }

        var queries = (names ?? throw new ArgumentNullException(nameof(names)))
            .SelectMany(n => new[] { resolver.QueryAsync(n, DnsRecordType.A, cancellationToken), resolver.QueryAsync(n, DnsRecordType.AAAA, cancellationToken) })
            .ToArray();
        var answers = await Task.WhenAll(queries).ConfigureAwait(false);
        var addresses = new List<IPAddress>();
        foreach (var value in answers.SelectMany(a => a.Values))
        {
            if (IPAddress.TryParse(value, out var address) && !addresses.Contains(address))
            {
                addresses.Add(address);
            }
        }

        return new HostAddresses(addresses, answers);
    }
}
