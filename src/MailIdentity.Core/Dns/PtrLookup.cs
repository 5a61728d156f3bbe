using System;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;

namespace MailIdentity.Dns;

/// <summary>Reverse lookups: IP address to PTR names.</summary>
public sealed class PtrLookup
{
    private readonly IDnsResolver _resolver;

    public PtrLookup(IDnsResolver resolver) => _resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));

    /// <summary>Looks up every PTR name of <paramref name="address"/>. DNS failures come back as data.</summary>
    public async Task<PtrLookupResult> LookupAsync(IPAddress address, CancellationToken cancellationToken)
    {
        if (address is null)
        {
            throw new ArgumentNullException(nameof(address));
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var reverse = ReverseName.For(address);
        var answer = await _resolver.QueryAsync(reverse, DnsRecordType.PTR, cancellationToken).ConfigureAwait(false);
        var names = answer.Records.Select(r => r.Value).Where(v => v.Length > 0).Distinct(StringComparer.Ordinal)
            .OrderBy(v => v, StringComparer.Ordinal).ToArray();
        return new PtrLookupResult(address, reverse, answer, names);
    }
}
