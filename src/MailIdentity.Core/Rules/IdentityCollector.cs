using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using MailIdentity.Dns;
using MailIdentity.Smtp;
using MailIdentity.Text;

namespace MailIdentity.Rules;

/// <summary>Gathers the evidence for one address: reverse and forward DNS, the SMTP probe, MX.</summary>
public sealed class IdentityCollector
{
    private readonly IDnsResolver _resolver;
    private readonly ForwardConfirmation _fcrdns;
    private readonly SmtpProbeOptions? _smtp;

    /// <param name="resolver">The run's (caching) resolver.</param>
    /// <param name="smtp">SMTP options; null to skip the SMTP probe (-SkipSmtp).</param>
    public IdentityCollector(IDnsResolver resolver, SmtpProbeOptions? smtp)
    {
        _resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
        _fcrdns = new ForwardConfirmation(resolver);
        _smtp = smtp;
    }

    public async Task<IdentityEvidence> CollectAsync(IdentityTarget target, CancellationToken cancellationToken, Action<string>? transcript = null)
    {
        if (target is null)
        {
            throw new ArgumentNullException(nameof(target));
        }

        var addressType = target.IPAddress.AddressFamily == AddressFamily.InterNetworkV6 ? DnsRecordType.AAAA : DnsRecordType.A;
        var fcrdnsTask = _fcrdns.CheckAsync(target.IPAddress, cancellationToken);
        var smtpTask = ProbeAsync(target, transcript, cancellationToken);
        // A name that is not fully qualified is not looked up: the answer would only say the server is not authoritative.
        var heloTask = !HostName.IsFqdn(target.HeloName)
            ? Task.FromResult<DnsAnswer?>(null)
            : QueryAsync(target.HeloName!, addressType, cancellationToken);
        var mxTask = MxAsync(target.Domain, addressType, cancellationToken);

        var smtp = await smtpTask.ConfigureAwait(false);
        DnsAnswer? bannerAddresses = null;
        if (smtp?.BannerHost is { Length: > 0 } bannerHost && smtp.BannerHostKind == BannerHostKind.Fqdn)
        {
            bannerAddresses = await _resolver.QueryAsync(bannerHost, addressType, cancellationToken).ConfigureAwait(false);
        }

        var (mx, mxHosts) = await mxTask.ConfigureAwait(false);
        return new IdentityEvidence(target, await fcrdnsTask.ConfigureAwait(false))
        {
            Smtp = smtp,
            BannerHostAddresses = bannerAddresses,
            HeloNameAddresses = await heloTask.ConfigureAwait(false),
            Mx = mx,
            MxHostAddresses = mxHosts,
        };
    }

    private async Task<SmtpProbeResult?> ProbeAsync(IdentityTarget target, Action<string>? transcript, CancellationToken cancellationToken)
    {
        if (_smtp is null)
        {
            return null;
        }

        var options = new SmtpProbeOptions
        {
            Port = target.Port,
            Timeout = _smtp.Timeout,
            HeloName = _smtp.HeloName,
            StartTls = _smtp.StartTls,
            NoEhlo = _smtp.NoEhlo,
            ReplyLimits = _smtp.ReplyLimits,
        };
        return await new SmtpProbe(options).ProbeAsync(target.SmtpTarget, target.IPAddress, cancellationToken, transcript).ConfigureAwait(false);
    }

    private async Task<DnsAnswer?> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken) =>
        await _resolver.QueryAsync(name, type, cancellationToken).ConfigureAwait(false);

    private async Task<(DnsAnswer? Mx, IReadOnlyDictionary<string, DnsAnswer> Hosts)> MxAsync(string? domain, DnsRecordType addressType, CancellationToken cancellationToken)
    {
        var empty = new Dictionary<string, DnsAnswer>();
        if (string.IsNullOrWhiteSpace(domain))
        {
            return (null, empty);
        }

        var mx = await _resolver.QueryAsync(domain!, DnsRecordType.MX, cancellationToken).ConfigureAwait(false);
        var hosts = mx.Records.Select(r => r.Value).Where(v => v.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
        var answers = await Task.WhenAll(hosts.Select(h => _resolver.QueryAsync(h, addressType, cancellationToken))).ConfigureAwait(false);
        var map = new Dictionary<string, DnsAnswer>(StringComparer.Ordinal);
        for (var i = 0; i < hosts.Length; i++)
        {
            map[HostName.Normalize(hosts[i])] = answers[i];
        }

        return (mx, map);
    }
}
