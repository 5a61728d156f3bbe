using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using MailIdentity.Commands.Infrastructure;
using MailIdentity.Dns;
using MailIdentity.Smtp;
using MailIdentity.Text;

namespace MailIdentity.Commands;

/// <summary>
/// <para type="synopsis">Reads the SMTP greeting (banner) and EHLO reply of mail servers, like swaks --quit-after EHLO.</para>
/// <para type="description">Connects to each server, reads the whole RFC 5321 greeting (multi-line, delayed by
/// postscreen), sends EHLO (HELO when EHLO is refused), optionally STARTTLS to record the certificate, and
/// ends with QUIT. It never sends MAIL, RCPT, DATA or AUTH. Host names resolve through -DnsServer and every
/// address is probed. A server that cannot be reached is a Status on the result and a non-terminating error.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "SmtpBanner")]
[OutputType(typeof(SmtpProbeResult))]
public sealed class GetSmtpBannerCommand : SmtpCmdletBase
{
    private SmtpProbe _probe = null!;

    /// <summary>Probes 16 servers at once by default (the 30 s timeout comes from SmtpCmdletBase).</summary>
    public GetSmtpBannerCommand() => ThrottleLimit = 16;

    /// <summary>The mail servers: host names (every A and AAAA address is probed) or IP addresses.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("IPAddress", "IP", "Address", "HostName", "Host", "CN", "MX", "MailServer", "SmtpServer", "Exchange", "DNSHostName", "MailHost", "Mail Server", "SMTP Server")]
    [AllowEmptyString]
    [AllowNull]
    public AddressArgument?[]? ComputerName { get; set; }

    /// <summary>The TCP port: 25 (default), 587 or 2525.</summary>
    [Parameter]
    [ValidateRange(1, 65535)]
    public int Port { get; set; } = 25;

    /// <summary>The name to send with EHLO/HELO. Default: this machine's FQDN, or its address literal.</summary>
    [Parameter]
    [ValidatePattern(@"^[\x21-\x7E]{1,255}$")]
    public string? HeloName { get; set; }

    /// <summary>When the server offers STARTTLS, negotiate TLS, record the certificate, and EHLO again.</summary>
    [Parameter]
    public SwitchParameter StartTls { get; set; }

    /// <summary>Read the greeting only, then QUIT, without EHLO.</summary>
    [Parameter]
    public SwitchParameter NoEhlo { get; set; }

    protected override string ProgressActivity => "Get-SmtpBanner";

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        _probe = new SmtpProbe(new SmtpProbeOptions
        {
            Port = Port,
            Timeout = TimeSpan.FromSeconds(TimeoutSeconds),
            HeloName = HeloName,
            StartTls = StartTls.IsPresent,
            NoEhlo = NoEhlo.IsPresent,
        });
    }

    protected override void ProcessRecord()
    {
        if (ComputerName is null)
        {
            SubmitCompleted(NoTargetInInput("a ComputerName (or IPAddress, HostName, MailServer)"));
            return;
        }

        foreach (var argument in ComputerName)
        {
            var input = argument?.Text;
            if (IPAddressText.TryParse(input, out var address))
            {
                Submit(input!, async token => await ProbeAsync(input!, address!, token).ConfigureAwait(false));
                continue;
            }

            if (!HostName.IsValidName(input, allowUnderscore: true))
            {
                SubmitCompleted(SmtpErrors.NotAComputerName(input));
                continue;
            }

            var name = HostName.Normalize(input);
            Submit(input!, async token =>
            {
                var (addresses, failure) = await ResolveAsync(name, input!, token).ConfigureAwait(false);
                if (failure is not null)
                {
                    return new object[] { failure };
                }

                var probes = addresses.Select(a => ProbeAsync(input!, a, token)).ToArray();
                var results = await Task.WhenAll(probes).ConfigureAwait(false);
                return results.SelectMany(r => r).ToArray();
            });
        }
    }

    private async Task<IReadOnlyList<object>> ProbeAsync(string input, IPAddress address, CancellationToken token)
    {
        var endpoint = new IPEndPoint(address, Port).ToString();
        var result = await _probe.ProbeAsync(input, address, token, line => QueueVerbose($"[{endpoint}] {line}")).ConfigureAwait(false);
        var outputs = new List<object> { result };
        var error = SmtpErrors.ProbeFailure(result, input);
        if (error is not null)
        {
            outputs.Add(error);
        }

        return outputs;
    }

    /// <summary>The A and AAAA addresses of <paramref name="name"/>, or the error that explains why there are none.</summary>
    private async Task<(IReadOnlyList<IPAddress> Addresses, ErrorRecord? Failure)> ResolveAsync(string name, string input, CancellationToken token)
    {
        var found = await HostAddressLookup.ResolveAsync(Resolver, new[] { name }, token).ConfigureAwait(false);
        foreach (var answer in found.Answers)
        {
            QueueVerbose($"{answer.Type} {answer.Question}: {answer.Status} {string.Join(", ", answer.Values)} ({answer.Server})");
        }

        if (found.Addresses.Count > 0)
        {
            return (found.Addresses, null);
        }

        var failed = found.TemporaryFailure;
        return (found.Addresses, failed is not null ? Errors.DnsFailure(failed, input) : SmtpErrors.HostNotFound(input, found.Answers[0].Status));
    }
}

/// <summary>The ErrorRecords of Get-SmtpBanner: stable ErrorIds, fitting categories, the input as TargetObject.</summary>
internal static class SmtpErrors
{
    public const string InvalidComputerName = "InvalidComputerName";
    public const string SmtpHostNotFound = "SmtpHostNotFound";

    public static ErrorRecord NotAComputerName(object? input) =>
        new(new ArgumentException($"'{Errors.Describe(input)}' is neither a host name nor an IP address. Give a name such as mail.example.com or an address such as 192.0.2.25."),
            InvalidComputerName, ErrorCategory.InvalidArgument, input);

    public static ErrorRecord HostNotFound(object input, DnsLookupStatus status) =>
        new(new ArgumentException($"'{Errors.Describe(input)}' has no A or AAAA record ({status}): there is no server to connect to."),
            SmtpHostNotFound, ErrorCategory.ObjectNotFound, input);

    /// <summary>The error for a probe that failed (refused, timeout, reset, not SMTP, TLS broken); null when it did not.</summary>
    public static ErrorRecord? ProbeFailure(SmtpProbeResult result, object input)
    {
        var (id, category) = result.Status switch
        {
            SmtpProbeStatus.ConnectionRefused => ("SmtpConnectionRefused", ErrorCategory.ConnectionError),
            SmtpProbeStatus.Timeout => ("SmtpTimeout", ErrorCategory.OperationTimeout),
            SmtpProbeStatus.ConnectionReset => ("SmtpConnectionReset", ErrorCategory.ConnectionError),
            SmtpProbeStatus.ProtocolError => ("SmtpProtocolError", ErrorCategory.ProtocolError),
            _ => (null, ErrorCategory.NotSpecified),
        };
        if (id is not null)
        {
            return new ErrorRecord(new InvalidOperationException($"{result.RemoteEndPoint} ({Errors.Describe(input)}): {result.ErrorMessage}"), id, category, input);
        }

        if (result.Tls is { HandshakeFailed: true, Error: string tlsError })
        {
            return new ErrorRecord(new InvalidOperationException($"{result.RemoteEndPoint} ({Errors.Describe(input)}): {tlsError}"),
                "SmtpTlsFailed", ErrorCategory.SecurityError, input);
        }

        return null;
    }
}
