using System.Text;

namespace ModelPerformance.Grains.Interfaces;

/// <summary>The contract's spelling of an enum value (<c>AutoIfBetter</c> is <c>AUTO_IF_BETTER</c>), for messages and storage.</summary>
public static class Names
{
    public static string Of<T>(T value) where T : struct, Enum => Screaming(value.ToString());

    public static T Parse<T>(string name) where T : struct, Enum =>
        Enum.Parse<T>(name.Replace("_", ""), ignoreCase: true);

    private static string Screaming(string pascal)
    {
        var builder = new StringBuilder(pascal.Length + 4);
        for (var i = 0; i < pascal.Length; i++)
        {
            if (i > 0 && char.IsUpper(pascal[i]) && !char.IsUpper(pascal[i - 1]))
            {
                builder.Append('_');
            }
            builder.Append(char.ToUpperInvariant(pascal[i]));
        }
        return builder.ToString();
    }
}
