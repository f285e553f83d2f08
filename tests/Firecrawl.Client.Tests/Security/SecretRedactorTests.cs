namespace Firecrawl.Client.Tests;

public sealed class SecretRedactorTests
{
    [Fact]
    public void Redact_TextWithTheKey_MasksEveryOccurrence()
    {
        var redactor = new SecretRedactor("fc-abcdef", []);

        Assert.Equal("a [REDACTED] b [REDACTED]", redactor.Redact("a fc-abcdef b fc-abcdef"));
    }

    [Fact]
    public void Redact_BearerHeaderEchoed_MasksItAsOnePiece()
    {
        var redactor = new SecretRedactor("fc-abcdef", []);

        Assert.Equal("got [REDACTED]!", redactor.Redact("got Bearer fc-abcdef!"));
    }

    [Fact]
    public void Redact_TextWithoutSecrets_ReturnsTheSameInstance()
    {
        var redactor = new SecretRedactor("fc-abcdef", ["tenant-secret-value"]);
        string text = "nothing to hide";

        Assert.Same(text, redactor.Redact(text));
    }

    [Fact]
    public void Redact_HeaderValueOfSixOrMoreCharacters_IsMasked()
    {
        var redactor = new SecretRedactor(null, ["abcdef", "12345", "  padded-secret  "]);

        Assert.Equal("[REDACTED] 12345 [REDACTED]", redactor.Redact("abcdef 12345 padded-secret"));
    }

    [Fact]
    public void Redact_SecretContainingAnother_MasksTheLongerWhole()
    {
        var redactor = new SecretRedactor("fc-abcdef", ["fc-abcdef-extended"]);

        Assert.Equal("[REDACTED]", redactor.Redact("fc-abcdef-extended"));
    }

    [Fact]
    public void Redact_KeyHiddenByPercentEncoding_IsFoundAndTheTextShownDecodedAndMasked()
    {
        var redactor = new SecretRedactor("fc-abcdef", []);
        string echoed = "Location: https://evil.example/?k=%66c-abc%64ef&next=%2F";

        Assert.True(redactor.Holds(echoed));
        Assert.Equal("Location: https://evil.example/?k=[REDACTED]&next=/", redactor.Redact(echoed));
    }

    [Fact]
    public void Redact_PercentEncodedTextWithoutASecret_IsLeftAsItCame()
    {
        var redactor = new SecretRedactor("fc-abcdef", []);
        string text = "path=%2Fv1%2Fcrawl 100%";

        Assert.False(redactor.Holds(text));
        Assert.Same(text, redactor.Redact(text));
    }

    [Fact]
    public void Scrub_AnExceptionTypeItCannotRebuild_IsReplacedByOneThatNamesIt()
    {
        var redactor = new SecretRedactor("fc-abcdef", []);

        Exception scrubbed = redactor.Scrub(new FormatException("echoed fc-abcdef back"));

        RedactedException redacted = Assert.IsType<RedactedException>(scrubbed);
        Assert.Equal(typeof(FormatException), redacted.OriginalType);
        Assert.Equal("System.FormatException: echoed [REDACTED] back", redacted.Message);
    }

    [Fact]
    public void None_MasksNothing()
    {
        Assert.Equal("Bearer fc-x", SecretRedactor.None.Redact("Bearer fc-x"));
        Assert.Null(SecretRedactor.None.RedactOrNull(null));
    }
}
