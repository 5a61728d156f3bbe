using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MailIdentity.Dns;
using MailIdentity.Text;

namespace MailIdentity.Core.Tests.Rules;

/// <summary>Zone data in memory: "name TYPE value" lines; unknown names are NXDOMAIN, listed failures fail.</summary>
internal sealed class InMemoryResolver : IDnsResolver
{
    private readonly Dictionary<(string, DnsRecordType), List<DnsRecordData>> _records = new();
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, DnsRecordType), DnsLookupStatus> _failures = new();

    public InMemoryResolver(params string[] lines)
    {
        foreach (var line in lines)
        {
            var parts = line.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
            var name = HostName.Normalize(parts[0]);
            var type = Enum.Parse<DnsRecordType>(parts[1]);
            var value = parts[2];
            var preference = 0;
            if (type == DnsRecordType.MX)
            {
                var mx = value.Split(' ');
                preference = int.Parse(mx[0], System.Globalization.CultureInfo.InvariantCulture);
                value = mx[1];
            }

            _names.Add(name);
            if (!_records.TryGetValue((name, type), out var list))
            {
                _records[(name, type)] = list = new List<DnsRecordData>();
            }

            list.Add(new DnsRecordData(name, type.ToString(), type is DnsRecordType.PTR or DnsRecordType.MX ? HostName.Normalize(value) : value, 300) { Preference = preference });
        }
    }

    public InMemoryResolver Fail(string name, DnsRecordType type, DnsLookupStatus status)
    {
        _failures[(HostName.Normalize(name), type)] = status;
        return this;
    }

    public Task<DnsAnswer> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken)
    {
        var key = (HostName.Normalize(name), type);
        if (_failures.TryGetValue(key, out var failure))
        {
            return Task.FromResult(DnsAnswer.Failed(key.Item1, type.ToString(), failure, "memory", TimeSpan.Zero, $"{failure} on demand"));
        }

        if (_records.TryGetValue(key, out var records))
        {
            return Task.FromResult(new DnsAnswer(key.Item1, type.ToString(), DnsLookupStatus.Found, records.ToArray(), Array.Empty<string>(), "memory", TimeSpan.Zero, null));
        }

        var status = _names.Contains(key.Item1) ? DnsLookupStatus.NoData : DnsLookupStatus.NotFound;
        return Task.FromResult(new DnsAnswer(key.Item1, type.ToString(), status, Array.Empty<DnsRecordData>(), Array.Empty<string>(), "memory", TimeSpan.Zero, null));
    }
}
