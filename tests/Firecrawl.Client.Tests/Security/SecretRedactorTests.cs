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
    public void None_MasksNothing()
    {
        Assert.Equal("Bearer fc-x", SecretRedactor.None.Redact("Bearer fc-x"));
        Assert.Null(SecretRedactor.None.RedactOrNull(null));
    }
}
