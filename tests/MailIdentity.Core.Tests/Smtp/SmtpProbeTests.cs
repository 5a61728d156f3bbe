// Expected values are written inline as arrays: clearer in a test than named static fields.
#pragma warning disable CA1861

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MailIdentity.Smtp;
using Xunit;

namespace MailIdentity.Core.Tests.Smtp;

/// <summary>The probe against scripted servers on 127.0.0.1: every fault ends within the timeout.</summary>
public sealed class SmtpProbeTests
{
    private static readonly TimeSpan Short = TimeSpan.FromSeconds(2);

    /// <summary>Accepts one connection on 127.0.0.1 and runs <paramref name="script"/> on it.</summary>
    private sealed class ScriptedServer : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly Task _task;
        private readonly CancellationTokenSource _stop = new();

        public ScriptedServer(Func<NetworkStream, CancellationToken, Task> script)
        {
            _listener.Start();
            _task = Task.Run(async () =>
            {
                using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                try
                {
                    await script(client.GetStream(), _stop.Token);
                }
                catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
                {
                }
            });
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public List<string> Received { get; } = new();

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            await Task.WhenAny(_task, Task.Delay(2000));
            _stop.Dispose();
        }
    }

    private static Task Send(NetworkStream s, string text, CancellationToken t) => s.WriteAsync(Encoding.UTF8.GetBytes(text), t).AsTask();

    private static async Task<string?> ReadLine(NetworkStream s, CancellationToken t)
    {
        var line = new List<byte>();
        var one = new byte[1];
        while (await s.ReadAsync(one, t) == 1)
        {
            if (one[0] == '\n')
            {
                return Encoding.ASCII.GetString(line.ToArray()).TrimEnd('\r');
            }

            line.Add(one[0]);
        }

        return null;
    }

    /// <summary>A well-behaved server: greeting, then answers EHLO/HELO/QUIT and records every command.</summary>
    private static Func<NetworkStream, CancellationToken, Task> Polite(string greeting, List<string> received, string ehlo = "250-mx.example.com\r\n250-SIZE 1000\r\n250 8BITMIME\r\n", string startTls = "502 no\r\n") => async (s, t) =>
    {
        await Send(s, greeting, t);
        while (await ReadLine(s, t) is string command)
        {
            lock (received)
            {
                received.Add(command);
            }

            var verb = command.Split(' ')[0];
            await Send(s, verb switch { "EHLO" => ehlo, "HELO" => "250 mx.example.com\r\n", "QUIT" => "221 Bye\r\n", "STARTTLS" => startTls, _ => "502 no\r\n" }, t);
            if (verb == "QUIT" || (verb == "STARTTLS" && startTls.StartsWith("220", StringComparison.Ordinal)))
            {
                return;
            }
        }
    };

    private static Task<SmtpProbeResult> Probe(int port, TimeSpan? timeout = null, bool noEhlo = false, CancellationToken token = default) =>
        new SmtpProbe(new SmtpProbeOptions { Port = port, Timeout = timeout ?? Short, HeloName = "probe.example", NoEhlo = noEhlo })
            .ProbeAsync("127.0.0.1", IPAddress.Loopback, token);

    [Fact]
    public async Task A_polite_server_gives_the_greeting_the_ehlo_and_a_quit()
    {
        var received = new List<string>();
        await using var server = new ScriptedServer(Polite("220-mx.example.com ESMTP Exim 4.97\r\n220 second line\r\n", received));
        var result = await Probe(server.Port);
        Assert.Equal(SmtpProbeStatus.Ok, result.Status);
        Assert.Equal(220, result.ReplyCode);
        Assert.Equal(2, result.GreetingLines.Count);
        Assert.Equal("mx.example.com", result.BannerHost);
        Assert.Equal(BannerHostKind.Fqdn, result.BannerHostKind);
        Assert.Equal(ServerSoftware.Exim, result.Software);
        Assert.Equal("4.97", result.SoftwareVersion);
        Assert.Equal(250, result.EhloCode);
        Assert.Equal("mx.example.com", result.EhloHost);
        Assert.Equal(new[] { "SIZE 1000", "8BITMIME" }, result.Extensions);
        Assert.Equal(new[] { "EHLO probe.example", "QUIT" }, received);
        Assert.Contains("-> EHLO probe.example", result.Transcript);
        Assert.Contains("<- 220 second line", result.Transcript);
        Assert.Equal($"127.0.0.1:{server.Port}", result.RemoteEndPoint);
    }

    [Fact]
    public async Task Ehlo_refused_falls_back_to_helo()
    {
        var received = new List<string>();
        await using var server = new ScriptedServer(Polite("220 mx.example.com\r\n", received, ehlo: "500 unknown\r\n"));
        var result = await Probe(server.Port);
        Assert.Equal(SmtpProbeStatus.Ok, result.Status);
        Assert.Equal("HELO", result.HeloCommand);
        Assert.Equal(new[] { "EHLO probe.example", "HELO probe.example", "QUIT" }, received);
    }

    [Fact]
    public async Task NoEhlo_sends_only_quit()
    {
        var received = new List<string>();
        await using var server = new ScriptedServer(Polite("220 mx.example.com\r\n", received));
        var result = await Probe(server.Port, noEhlo: true);
        Assert.Equal(SmtpProbeStatus.Ok, result.Status);
        Assert.Null(result.EhloCode);
        Assert.Equal(new[] { "QUIT" }, received);
    }

    [Theory]
    [InlineData("421 Too many connections\r\n", SmtpProbeStatus.Busy)]
    [InlineData("554 5.7.1 No SMTP service here\r\n", SmtpProbeStatus.Rejected)]
    public async Task Busy_and_rejecting_greetings_are_statuses_followed_by_quit(string greeting, SmtpProbeStatus status)
    {
        var received = new List<string>();
        await using var server = new ScriptedServer(Polite(greeting, received));
        var result = await Probe(server.Port);
        Assert.Equal(status, result.Status);
        Assert.NotNull(result.ErrorMessage);
        Assert.Equal(new[] { "QUIT" }, received);
    }

    [Fact]
    public async Task A_greeting_after_a_delay_within_the_timeout_is_read_whole()
    {
        await using var server = new ScriptedServer(async (s, t) =>
        {
            await Send(s, "220-mx.example.com ESMTP\r\n", t);
            await Task.Delay(700, t);
            await Send(s, "220 mx.example.com ESMTP\r\n", t);
            await ReadLine(s, t);
        });
        var result = await Probe(server.Port, noEhlo: true);
        Assert.Equal(SmtpProbeStatus.Ok, result.Status);
        Assert.Equal(2, result.GreetingLines.Count);
        Assert.True(result.GreetingTime >= TimeSpan.FromMilliseconds(600), result.GreetingTime.ToString());
    }

    [Fact]
    public async Task Silence_times_out_on_time()
    {
        await using var server = new ScriptedServer((s, t) => Task.Delay(Timeout.Infinite, t));
        var clock = Stopwatch.StartNew();
        var result = await Probe(server.Port, TimeSpan.FromSeconds(1));
        Assert.Equal(SmtpProbeStatus.Timeout, result.Status);
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.9, 2.5);
        Assert.Contains("greeting", result.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_dripping_one_byte_at_a_time_cannot_hold_the_probe_past_its_timeout()
    {
        await using var server = new ScriptedServer(async (s, t) =>
        {
            foreach (var b in Encoding.ASCII.GetBytes("220 mx.example.com ESMTP a rather long greeting line\r\n"))
            {
                await s.WriteAsync(new[] { b }, t);
                await Task.Delay(100, t);
            }
        });
        var clock = Stopwatch.StartNew();
        var result = await Probe(server.Port, TimeSpan.FromSeconds(1.5));
        Assert.Equal(SmtpProbeStatus.Timeout, result.Status);
        Assert.InRange(clock.Elapsed.TotalSeconds, 1.4, 3);
        Assert.NotEmpty(result.RawGreeting);
    }

    [Fact]
    public async Task An_endless_line_is_a_protocol_error_long_before_the_timeout()
    {
        await using var server = new ScriptedServer(async (s, t) =>
        {
            await Send(s, "220 ", t);
            var chunk = new byte[8192];
            Array.Fill(chunk, (byte)'x');
            for (var i = 0; i < 1000; i++)
            {
                await s.WriteAsync(chunk, t);
            }
        });
        var clock = Stopwatch.StartNew();
        var result = await Probe(server.Port, TimeSpan.FromSeconds(10));
        Assert.Equal(SmtpProbeStatus.ProtocolError, result.Status);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5));
        Assert.True(result.RawGreeting.Length <= SmtpReplyLimits.Default.MaxLineLength + 2);
    }

    [Fact]
    public async Task Garbage_is_a_protocol_error()
    {
        await using var server = new ScriptedServer(async (s, t) =>
        {
            var noise = new byte[600];
            new Random(7).NextBytes(noise);
            noise[0] = (byte)'X';
            noise[300] = (byte)'\n';
            await s.WriteAsync(noise, t);
            await Task.Delay(Timeout.Infinite, t);
        });
        var result = await Probe(server.Port);
        Assert.Equal(SmtpProbeStatus.ProtocolError, result.Status);
        Assert.All(result.Transcript, line => Assert.DoesNotContain(line, char.IsControl));
    }

    [Fact]
    public async Task Closing_in_the_middle_of_a_line_is_a_reset()
    {
        await using var server = new ScriptedServer(async (s, t) =>
        {
            await Send(s, "220 mx.exa", t);
            s.Socket.Shutdown(SocketShutdown.Both);
        });
        var result = await Probe(server.Port);
        Assert.Equal(SmtpProbeStatus.ConnectionReset, result.Status);
        Assert.Contains(result.Transcript, l => l.Contains("220 mx.exa [no line end]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Nothing_listening_is_connection_refused()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var result = await Probe(port);
        Assert.Equal(SmtpProbeStatus.ConnectionRefused, result.Status);
        Assert.Contains("refused", result.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ansi_escapes_are_escaped_in_every_display_property()
    {
        var received = new List<string>();
        await using var server = new ScriptedServer(Polite("220 mx.example.com \u001b]0;owned\u0007\u001b[31mred\r\n", received,
            ehlo: "250-mx.example.com \u001b[2J\r\n250 X-\u001b[5mBLINK\r\n"));
        var lines = new List<string>();
        var result = await new SmtpProbe(new SmtpProbeOptions { Port = server.Port, Timeout = Short, HeloName = "probe.example" })
            .ProbeAsync("127.0.0.1", IPAddress.Loopback, default, lines.Add);
        Assert.Equal(SmtpProbeStatus.Ok, result.Status);
        var shown = result.GreetingLines.Concat(result.Transcript).Concat(result.Extensions).Concat(lines)
            .Append(result.BannerHost!).Append(result.EhloHost!).Append(result.Greeting);
        Assert.All(shown, text => Assert.DoesNotContain(text, c => c == '\u001b' || c == '\u0007'));
        Assert.Contains("\\e[31mred", result.GreetingLines[0], StringComparison.Ordinal);
        Assert.Contains((byte)0x1b, result.RawGreeting);
        Assert.Equal(result.Transcript.Count, lines.Count);
    }

    private static Task<SmtpProbeResult> ProbeTls(int port) =>
        new SmtpProbe(new SmtpProbeOptions { Port = port, Timeout = Short, HeloName = "probe.example", StartTls = true })
            .ProbeAsync("127.0.0.1", IPAddress.Loopback, default);

    [Fact]
    public async Task A_refused_starttls_is_recorded_and_the_session_ends_with_quit()
    {
        var received = new List<string>();
        await using var server = new ScriptedServer(Polite("220 mx.example.com\r\n", received,
            ehlo: "250-mx.example.com\r\n250 STARTTLS\r\n", startTls: "454 4.7.0 TLS not available due to local problem\r\n"));
        var result = await ProbeTls(server.Port);
        Assert.Equal(SmtpProbeStatus.Ok, result.Status);
        Assert.True(result.StartTlsOffered);
        Assert.NotNull(result.Tls);
        Assert.False(result.Tls!.HandshakeFailed);
        Assert.StartsWith("The server refused STARTTLS: 454", result.Tls.Error, StringComparison.Ordinal);
        Assert.Equal(new[] { "EHLO probe.example", "STARTTLS", "QUIT" }, received);
    }

    [Fact]
    public async Task Bytes_injected_after_the_starttls_reply_are_discarded_and_a_broken_handshake_is_a_finding()
    {
        var received = new List<string>();
        await using var server = new ScriptedServer(Polite("220 mx.example.com\r\n", received,
            ehlo: "250-mx.example.com\r\n250 STARTTLS\r\n", startTls: "220 go ahead\r\n250-injected before TLS\r\n"));
        var result = await ProbeTls(server.Port);
        Assert.Equal(SmtpProbeStatus.Ok, result.Status);
        Assert.True(result.Tls!.HandshakeFailed);
        Assert.False(result.Tls.IsValid);
        Assert.StartsWith("The TLS handshake failed", result.Tls.Error, StringComparison.Ordinal);
        Assert.Contains(result.Transcript, l => l.StartsWith("=== Discarded", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Transcript, l => l.Contains("injected", StringComparison.Ordinal));
        Assert.Equal(new[] { "EHLO probe.example", "STARTTLS" }, received);
    }

    [Fact]
    public async Task Cancelling_the_callers_token_throws_instead_of_reporting_a_timeout()
    {
        await using var server = new ScriptedServer((s, t) => Task.Delay(Timeout.Infinite, t));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Probe(server.Port, TimeSpan.FromSeconds(10), token: cancel.Token));
    }

    [Theory]
    [InlineData("probe.example\r\nMAIL FROM:<x>")]
    [InlineData("two words")]
    [InlineData("")]
    public void A_helo_name_that_could_inject_a_command_is_refused(string name) =>
        Assert.Throws<ArgumentException>(() => new SmtpProbe(new SmtpProbeOptions { HeloName = name }));

    [Theory]
    [InlineData("192.0.2.1", "[192.0.2.1]")]
    [InlineData("2001:db8::1", "[IPv6:2001:db8::1]")]
    [InlineData("::ffff:192.0.2.1", "[192.0.2.1]")]
    public void Address_literals(string address, string literal) =>
        Assert.Equal(literal, SmtpProbe.AddressLiteral(IPAddress.Parse(address)));
}
