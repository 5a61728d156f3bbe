// Expected values are written inline as arrays: clearer in a test than named static fields.
#pragma warning disable CA1861

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MailIdentity.Smtp;
using Xunit;

namespace MailIdentity.Core.Tests.Smtp;

public class ServerSoftwareDetectorTests
{
    [Theory]
    [InlineData("220 mail.example.com ESMTP Postfix (Debian/GNU)", ServerSoftware.Postfix, null)]
    [InlineData("220 box.example.com ESMTP Hi, I'm a Mail-in-a-Box (Ubuntu/Postfix; see https://mailinabox.example/)", ServerSoftware.Postfix, null)]
    [InlineData("220-server.example.com ESMTP Exim 4.96.2 #2 Sat, 24 Aug 2024 09:58:17 +0200 ", ServerSoftware.Exim, "4.96.2")]
    [InlineData("220 myhost.example.org ESMTP Exim 4.96 Tue, 2 Mar 1999 09:44:33 +0000", ServerSoftware.Exim, "4.96")]
    [InlineData("220 mail.example.org Microsoft ESMTP MAIL Service ready at Thu, 6 Sep 2018 15:14:16 +0800", ServerSoftware.Exchange, null)]
    [InlineData("220 SN1NAM02FT0049.mail.protection.outlook.example Microsoft ESMTP MAIL Service ready at Wed, 28 Jun 2023 12:02:11 +0000", ServerSoftware.Microsoft365, null)]
    [InlineData("220 AM0PR01MB1234.eurprd01.prod.outlook.com Microsoft ESMTP MAIL Service ready", ServerSoftware.Microsoft365, null)]
    [InlineData("220 mail.example.com ESMTP OpenSMTPD", ServerSoftware.OpenSmtpd, null)]
    [InlineData("220 serv.example.com ESMTP Haraka/2.8.27 ready", ServerSoftware.Haraka, "2.8.27")]
    [InlineData("220 mx.example.com ESMTP Sendmail 8.14.4/8.14.4; Thu, 5 Apr 2018 19:30:58 GMT", ServerSoftware.Sendmail, "8.14.4")]
    [InlineData("220 mail.example.com ESMTP MDaemon 23.5.1; Mon, 01 Jan 2024", ServerSoftware.MDaemon, "23.5.1")]
    [InlineData("220 mail.example.com ESMTP hMailServer", ServerSoftware.HMailServer, null)]
    [InlineData("220 mail.example.com ESMTP netqmail", ServerSoftware.Qmail, null)]
    [InlineData("220 mail.example.com Kerio Connect 10.0.2 ESMTP ready", ServerSoftware.Kerio, "10.0.2")]
    [InlineData("220 ESMTP", ServerSoftware.Unknown, null)]
    [InlineData("220 ****************************************", ServerSoftware.Unknown, null)]
    [InlineData("220 mail.example.com ESMTP", ServerSoftware.Unknown, null)]
    public void Greeting_markers(string greeting, ServerSoftware software, string? version)
    {
        var (found, foundVersion) = ServerSoftwareDetector.Detect(new[] { greeting });
        Assert.Equal(software, found);
        Assert.Equal(version, foundVersion);
    }

    [Fact]
    public void Exchange_is_recognised_from_its_EHLO_keywords_when_the_banner_hides_it()
    {
        var (software, _) = ServerSoftwareDetector.Detect(new[] { "220 mail.example.com ESMTP" },
            new[] { "250-mail.example.com Hello [192.0.2.1]", "250-X-ANONYMOUSTLS", "250 XEXCH50" });
        Assert.Equal(ServerSoftware.Exchange, software);
    }

    [Fact]
    public void Nothing_at_all_is_unknown() => Assert.Equal(ServerSoftware.Unknown, ServerSoftwareDetector.Detect(null, null).Software);
}
