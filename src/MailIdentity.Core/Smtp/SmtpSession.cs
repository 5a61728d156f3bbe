using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MailIdentity.Text;

namespace MailIdentity.Smtp;

/// <summary>
/// One probe's connection. The deadline closes the socket, so every pending read, write and handshake
/// ends on time even where the platform ignores cancellation tokens (.NET Framework streams).
/// </summary>
internal sealed class SmtpSession
{
    private const int MaxTranscriptLines = 600;
    private static readonly TimeSpan QuitBound = TimeSpan.FromSeconds(3);
    private readonly SmtpProbeOptions _options;
    private readonly SmtpProbeResult _result;
    private readonly Action<string>? _transcriptLine;
    private readonly List<string> _transcript = new();
    private readonly byte[] _buffer = new byte[4096];
    private int _bufferStart;
    private int _bufferCount;
    private Socket? _socket;
    private Stream? _stream;
    private bool _tls;
    private bool _greetingRecorded;
    private SmtpReplyParser? _pending;

    public SmtpSession(SmtpProbeOptions options, string target, IPAddress address, Action<string>? transcriptLine)
    {
        _options = options;
        _result = new SmtpProbeResult(target, address, options.Port);
        _transcriptLine = transcriptLine;
    }

    private string ServerArrow => _tls ? "<~ " : "<- ";

    private string ClientArrow => _tls ? "~> " : "-> ";

    public async Task<SmtpProbeResult> RunAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var clock = Stopwatch.StartNew();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.Timeout);
        var token = deadline.Token;
        var endpoint = new IPEndPoint(_result.IPAddress, _options.Port);
        _socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var closeOnDeadline = token.Register(Close);
        try
        {
            Note($"Trying {_result.RemoteEndPoint}...");
            await _socket.ConnectAsync(endpoint).ConfigureAwait(false);
            _result.ConnectTime = clock.Elapsed;
            Note($"Connected to {_result.RemoteEndPoint} in {_result.ConnectTime.TotalMilliseconds:0} ms.");
            _stream = new NetworkStream(_socket, ownsSocket: false);

            var greeting = await ReadGreetingAsync(clock, token).ConfigureAwait(false);
            _result.Status = greeting.CodeClass switch
            {
                2 => SmtpProbeStatus.Ok,
                4 => SmtpProbeStatus.Busy,
                5 => SmtpProbeStatus.Rejected,
                _ => SmtpProbeStatus.ProtocolError,
            };
            if (_result.Status != SmtpProbeStatus.Ok)
            {
                _result.ErrorMessage = _result.Status switch
                {
                    SmtpProbeStatus.Busy => $"The server is busy: it greeted with {greeting.Code} (try again later).",
                    SmtpProbeStatus.Rejected => $"The server refuses SMTP service to this client: it greeted with {greeting.Code}.",
                    _ => $"The greeting's reply code {greeting.Code} is not a greeting (220, 421 or 554).",
                };
            }
            else if (!_options.NoEhlo)
            {
                var ehlo = await HelloAsync(token).ConfigureAwait(false);
                if (_options.StartTls)
                {
                    if (ehlo.OffersStartTls)
                    {
                        if (!await StartTlsAsync(token).ConfigureAwait(false))
                        {
                            return _result;
                        }
                    }
                    else
                    {
                        Note("STARTTLS is not offered: no TLS.");
                    }
                }
            }

            await QuitAsync(token).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsNetworkFailure(ex))
        {
            if (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException("The SMTP probe was cancelled.", ex, cancellationToken);
            }

            var timedOut = deadline.IsCancellationRequested;
            var stage = _stream is null ? "to connect"
                : _greetingRecorded ? "for a complete reply"
                : _pending?.ToReply().Raw.Length > 0 ? "for the end of the greeting"
                : "for the greeting";
            if (_pending is not null)
            {
                // What the server managed to send before the time ran out or it hung up.
                var partial = _pending.ToReply();
                LogReply(partial);
                if (!_greetingRecorded)
                {
                    _result.GreetingTime = clock.Elapsed - _result.ConnectTime;
                    RecordGreeting(partial);
                }
            }

            Fail(timedOut ? Timeout(clock, stage) : Classify(ex));
        }
        finally
        {
            Close();
            _result.TotalTime = clock.Elapsed;
            Note("Connection closed.");
            _result.Transcript = _transcript.ToArray();
        }

        return _result;
    }

    private async Task<SmtpReply> ReadGreetingAsync(Stopwatch clock, CancellationToken token)
    {
        var connected = clock.Elapsed;
        var (reply, closed) = await ReadReplyAsync(token).ConfigureAwait(false);
        _result.GreetingTime = clock.Elapsed - connected;
        RecordGreeting(reply);
        EnsureComplete(reply, closed, "the greeting");
        return reply;
    }

    private void RecordGreeting(SmtpReply reply)
    {
        _greetingRecorded = true;
        var greeting = SmtpGreeting.FromReply(reply);
        _result.RawGreeting = reply.Raw;
        _result.ReplyCode = reply.Code;
        _result.GreetingLines = reply.Lines.Select(DisplayText.Escape).ToArray();
        _result.BannerHost = greeting.Host;
        _result.BannerHostKind = greeting.HostKind;
        (_result.Software, _result.SoftwareVersion) = ServerSoftwareDetector.Detect(reply.Lines);
    }

    private async Task<SmtpEhloReply> HelloAsync(CancellationToken token)
    {
        var name = _options.HeloName ?? SmtpProbe.DefaultHeloName ?? SmtpProbe.AddressLiteral(((IPEndPoint)_socket!.LocalEndPoint).Address);
        _result.HeloName = name;
        var ehlo = await CommandAsync("EHLO " + name, "EHLO", token).ConfigureAwait(false);
        _result.HeloCommand = "EHLO";
        if (ehlo.CodeClass == 5)
        {
            // RFC 5321 section 3.2: a server that does not know EHLO gets HELO.
            ehlo = await CommandAsync("HELO " + name, "HELO", token).ConfigureAwait(false);
            _result.HeloCommand = "HELO";
        }

        var parsed = SmtpEhloReply.FromReply(ehlo);
        _result.EhloCode = ehlo.Code;
        _result.EhloHost = parsed.Host;
        _result.Extensions = parsed.Extensions;
        _result.StartTlsOffered = parsed.OffersStartTls;
        if (_result.Software == ServerSoftware.Unknown)
        {
            (_result.Software, _result.SoftwareVersion) = ServerSoftwareDetector.Detect(null, ehlo.Lines);
        }

        return parsed;
    }

    /// <summary>STARTTLS, the handshake, EHLO again. False when the connection cannot go on (failed handshake).</summary>
    private async Task<bool> StartTlsAsync(CancellationToken token)
    {
        var tls = new SmtpTlsDetails();
        _result.Tls = tls;
        var reply = await CommandAsync("STARTTLS", "STARTTLS", token).ConfigureAwait(false);
        if (reply.Code != 220)
        {
            tls.Error = $"The server refused STARTTLS: {DisplayText.Escape(reply.ToString())}";
            Note(tls.Error);
            return true;
        }

        if (_bufferCount > 0)
        {
            // Bytes sent before the handshake must not be read as if they came over TLS (CVE-2011-0411 style injection).
            Note($"Discarded {_bufferCount} bytes the server sent after its STARTTLS reply, before the handshake.");
            _bufferCount = 0;
        }

        var targetHost = ChooseTlsName();
        tls.TargetHost = DisplayText.Escape(targetHost);
        SslPolicyErrors policyErrors = SslPolicyErrors.None;
        X509Certificate2? certificate = null;
        string[] chainStatus = Array.Empty<string>();
        var ssl = new SslStream(_stream!, leaveInnerStreamOpen: false, (sender, cert, chain, errors) =>
        {
            // Record only: the probe reports a bad certificate, it does not refuse to look at it.
            policyErrors = errors;
            certificate = cert is null ? null : new X509Certificate2(cert);
            chainStatus = chain?.ChainStatus.Where(s => s.Status != X509ChainStatusFlags.NoError)
                .Select(s => $"{s.Status}: {s.StatusInformation.Trim()}").ToArray() ?? Array.Empty<string>();
            return true;
        });
        _stream = ssl;
        try
        {
            await ssl.AuthenticateAsClientAsync(targetHost, null, SslProtocols.None, checkCertificateRevocation: false).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsNetworkFailure(ex) && !token.IsCancellationRequested)
        {
            tls.HandshakeFailed = true;
            tls.Error = "The TLS handshake failed: " + DisplayText.Escape(Innermost(ex).Message);
            tls.PolicyErrors = policyErrors.ToString();
            FillCertificate(tls, certificate, chainStatus);
            Note(tls.Error);
            return false;
        }

        _tls = true;
        tls.Protocol = ssl.SslProtocol.ToString();
        tls.CipherSuite = CipherSuiteOf(ssl);
        tls.PolicyErrors = policyErrors.ToString();
        tls.IsValid = policyErrors == SslPolicyErrors.None;
        FillCertificate(tls, certificate, chainStatus);
        Note($"TLS started: {tls.Protocol} {tls.CipherSuite}; certificate {tls.Subject}, issuer {tls.Issuer}, valid {tls.NotBefore:u} to {tls.NotAfter:u}; {tls.PolicyErrors}.");

        var ehlo = await CommandAsync("EHLO " + _result.HeloName, "EHLO", token).ConfigureAwait(false);
        tls.Extensions = SmtpEhloReply.FromReply(ehlo).Extensions;
        return true;
    }

    private void FillCertificate(SmtpTlsDetails tls, X509Certificate2? certificate, string[] chainStatus)
    {
        tls.ChainStatus = chainStatus.Select(DisplayText.Escape).ToArray();
        if (certificate is null)
        {
            return;
        }

        var names = CertificateNames.GetSubjectAlternativeNames(certificate);
        var commonName = certificate.GetNameInfo(X509NameType.SimpleName, false);
        tls.Subject = DisplayText.Escape(certificate.Subject);
        tls.Issuer = DisplayText.Escape(certificate.Issuer);
        tls.NotBefore = certificate.NotBefore.ToUniversalTime();
        tls.NotAfter = certificate.NotAfter.ToUniversalTime();
        tls.Thumbprint = certificate.Thumbprint;
        tls.SubjectAlternativeNames = names.Select(DisplayText.Escape).ToArray();
        var bannerHost = _result.BannerHostKind is BannerHostKind.Fqdn or BannerHostKind.NotFqdn or BannerHostKind.AddressLiteral ? _result.BannerHost : null;
        tls.NamesBannerHost = bannerHost is null ? null : CertificateNames.Matches(names, commonName, bannerHost);
        var target = IPAddressText.TryParse(_result.Target, out _) ? _result.IPAddress.ToString() : _result.Target;
        tls.NamesTarget = CertificateNames.Matches(names, commonName, target);
    }

    private string ChooseTlsName()
    {
        if (!IPAddressText.TryParse(_result.Target, out _) && HostName.IsFqdn(_result.Target))
        {
            return HostName.Normalize(_result.Target);
        }

        return _result.BannerHostKind == BannerHostKind.Fqdn && _result.BannerHost is not null
            ? _result.BannerHost
            : _result.IPAddress.ToString();
    }

    private static string CipherSuiteOf(SslStream ssl)
    {
        // NegotiatedCipherSuite exists from .NET Core 3.0; Windows PowerShell 5.1 gets the algorithm parts.
        var suite = typeof(SslStream).GetProperty("NegotiatedCipherSuite")?.GetValue(ssl)?.ToString();
        return suite ?? $"{ssl.CipherAlgorithm}-{ssl.CipherStrength} {ssl.HashAlgorithm} {ssl.KeyExchangeAlgorithm}";
    }

    private async Task QuitAsync(CancellationToken token)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(token);
        bound.CancelAfter(QuitBound);
        using var closeOnBound = bound.Token.Register(Close);
        try
        {
            await CommandAsync("QUIT", "QUIT", bound.Token, mustComplete: false).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsNetworkFailure(ex) && !token.IsCancellationRequested)
        {
            // The answers are in; a server that hangs up on QUIT changes nothing.
        }
    }

    private async Task<SmtpReply> CommandAsync(string command, string verb, CancellationToken token, bool mustComplete = true)
    {
        Log(ClientArrow + command);
        var bytes = Encoding.ASCII.GetBytes(command + "\r\n");
        await _stream!.WriteAsync(bytes, 0, bytes.Length, token).ConfigureAwait(false);
        await _stream.FlushAsync(token).ConfigureAwait(false);
        var (reply, closed) = await ReadReplyAsync(token).ConfigureAwait(false);
        if (mustComplete)
        {
            EnsureComplete(reply, closed, $"the {verb} reply");
        }

        return reply;
    }

    /// <summary>Reads one reply; leftover bytes after it stay buffered for the next.</summary>
    private async Task<(SmtpReply Reply, bool Closed)> ReadReplyAsync(CancellationToken token)
    {
        var parser = new SmtpReplyParser(_options.ReplyLimits);
        _pending = parser;
        var closed = false;
        while (true)
        {
            if (_bufferCount > 0)
            {
                var used = parser.Feed(_buffer, _bufferStart, _bufferCount);
                _bufferStart += used;
                _bufferCount -= used;
            }

            if (parser.IsDone)
            {
                break;
            }

            _bufferStart = 0;
            var read = await _stream!.ReadAsync(_buffer, 0, _buffer.Length, token).ConfigureAwait(false);
            if (read == 0)
            {
                closed = true;
                break;
            }

            _bufferCount = read;
        }

        _pending = null;
        var reply = parser.ToReply();
        LogReply(reply);
        return (reply, closed);
    }

    private void LogReply(SmtpReply reply)
    {
        foreach (var line in reply.Lines)
        {
            Log(ServerArrow + line);
        }

        if (reply.Trailing is not null)
        {
            Log(ServerArrow + reply.Trailing + (reply.Problem == SmtpReplyProblem.LineTooLong ? " [line too long: cut]" : " [no line end]"));
        }
    }

    private static void EnsureComplete(SmtpReply reply, bool closed, string what)
    {
        if (reply.IsComplete)
        {
            return;
        }

        if (reply.Problem == SmtpReplyProblem.Incomplete && closed)
        {
            throw new SmtpProtocolException(SmtpProbeStatus.ConnectionReset, $"The server closed the connection before the end of {what}.");
        }

        var why = reply.Problem switch
        {
            SmtpReplyProblem.LineTooLong => "a line is longer than the line limit",
            SmtpReplyProblem.TooManyLines => "it has more lines than the line limit",
            SmtpReplyProblem.TooLarge => "it is larger than the reply limit",
            SmtpReplyProblem.MixedCodes => "its lines carry different reply codes",
            _ => "a line does not start with a three-digit reply code",
        };
        throw new SmtpProtocolException(SmtpProbeStatus.ProtocolError, $"The server sent something that is not an SMTP reply as {what}: {why}.");
    }

    private (SmtpProbeStatus, string) Timeout(Stopwatch clock, string stage)
    {
        return (SmtpProbeStatus.Timeout, $"No answer within the timeout of {_options.Timeout.TotalSeconds:0.#} s: waited {stage} ({clock.Elapsed.TotalSeconds:0.0} s).");
    }

    private (SmtpProbeStatus, string) Classify(Exception ex)
    {
        if (ex is SmtpProtocolException protocol)
        {
            return (protocol.Status, protocol.Message);
        }

        var socketError = Innermost(ex) is SocketException se ? se.SocketErrorCode : (SocketError?)null;
        return socketError switch
        {
            SocketError.ConnectionRefused => (SmtpProbeStatus.ConnectionRefused, $"The connection to {_result.RemoteEndPoint} was refused: nothing listens there."),
            SocketError.TimedOut => (SmtpProbeStatus.Timeout, $"The connection to {_result.RemoteEndPoint} timed out."),
            SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.HostDown or SocketError.AddressNotAvailable
                or SocketError.AddressFamilyNotSupported or SocketError.AccessDenied when _stream is null
                => (SmtpProbeStatus.ConnectionRefused, $"{_result.RemoteEndPoint} cannot be reached: {socketError}."),
            _ => (SmtpProbeStatus.ConnectionReset, $"The server closed or reset the connection: {DisplayText.Escape(Innermost(ex).Message)}"),
        };
    }

    private void Fail((SmtpProbeStatus Status, string Message) failure)
    {
        _result.Status = failure.Status;
        _result.ErrorMessage = failure.Message;
        Note(failure.Message);
    }

    private static bool IsNetworkFailure(Exception ex) =>
        ex is SocketException or IOException or ObjectDisposedException or OperationCanceledException or AuthenticationException or SmtpProtocolException;

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is not null)
        {
            ex = ex.InnerException;
        }

        return ex;
    }

    private void Note(string text) => Log("=== " + text);

    private void Log(string line)
    {
        if (_transcript.Count >= MaxTranscriptLines)
        {
            return;
        }

        var escaped = DisplayText.Escape(line);
        _transcript.Add(escaped);
        _transcriptLine?.Invoke(escaped);
    }

    private void Close()
    {
        try
        {
            _stream?.Dispose();
            _socket?.Dispose();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException)
        {
            // Closing a broken connection: nothing left to report.
        }
    }
}

/// <summary>A reply that ends the probe: the server hung up mid-reply or sent something that is not SMTP.</summary>
internal sealed class SmtpProtocolException : Exception
{
    public SmtpProtocolException(SmtpProbeStatus status, string message)
        : base(message)
    {
        Status = status;
    }

    public SmtpProbeStatus Status { get; }
}
