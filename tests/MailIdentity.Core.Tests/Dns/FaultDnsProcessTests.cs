using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using MailIdentity.Dns;
using MailIdentity.FaultDns;
using Xunit;

namespace MailIdentity.Core.Tests.Dns;

/// <summary>The fault server run standalone, the way Pester and the lab start it.</summary>
public sealed partial class FaultDnsProcessTests
{
    [Fact]
    public async Task Standalone_server_reports_its_port_answers_and_stops_by_itself()
    {
        using var process = Start("--listen", "127.0.0.1:0", "--record", "mail.proc.test A 127.0.0.10",
            "--fault", "bad.proc.test=servfail", "--max-lifetime", "3");
        try
        {
            var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));
            var match = ListeningLine().Match(line ?? string.Empty);
            Assert.True(match.Success, $"first line was '{line}'");
            var endpoint = DnsServerEndpoint.Parse(match.Groups[1].Value);
            var resolver = new DnsClientResolver(new DnsResolverOptions { Servers = new[] { endpoint }, Timeout = TimeSpan.FromSeconds(2), Retries = 0 });

            Assert.Equal(DnsLookupStatus.Found, (await resolver.QueryAsync("mail.proc.test", DnsRecordType.A, FaultServer.Guard())).Status);
            Assert.Equal(DnsLookupStatus.ServerFailure, (await resolver.QueryAsync("bad.proc.test", DnsRecordType.A, FaultServer.Guard())).Status);

            await process.WaitForExitAsync(FaultServer.Guard(15));
            Assert.Equal(0, process.ExitCode);
            Assert.Contains("after 2 queries", await process.StandardError.ReadToEndAsync(), StringComparison.Ordinal);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    [Theory]
    [InlineData("--listen", "192.0.2.1:53")]
    [InlineData("--fault", "x=explode")]
    [InlineData("--record", "x A nope")]
    [InlineData("--frobnicate", "1")]
    public async Task Bad_argument_exits_2_naming_it(string option, string value)
    {
        using var process = Start(option, value);
        try
        {
            var error = await process.StandardError.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(20));
            await process.WaitForExitAsync(FaultServer.Guard(20));

            Assert.Equal(2, process.ExitCode);
            Assert.Contains(option == "--frobnicate" ? option : value, error, StringComparison.Ordinal);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    private static Process Start(params string[] arguments)
    {
        var dll = typeof(FaultDnsServer).Assembly.Location;
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        info.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return Process.Start(info) ?? throw new InvalidOperationException("could not start the fault server");
    }

    [GeneratedRegex(@"^FaultDns listening on (\S+)$")]
    private static partial Regex ListeningLine();
}
