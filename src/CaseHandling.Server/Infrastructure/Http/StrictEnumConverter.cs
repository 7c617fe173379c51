using System.Text.Json;
using System.Text.Json.Serialization;

namespace CaseHandling.Server.Infrastructure.Http;

/// <summary>
/// Enums on the wire are the names the OpenAPI document lists, and only those. <see cref="JsonStringEnumConverter"/> on
/// its own also reads a number (<c>-2144813274</c>: an undefined outcome reached a handler and answered 500, fuzz seed
/// <c>0ACSgjQK5zxm</c>) and a comma-joined list of names for any enum, which reads as the bitwise OR of two values, a
/// third value nobody sent. Both are refused here as a JSON error, which the API answers with a 400 naming the field.
/// Writing is the string converter's, as before.
/// </summary>
public sealed class StrictEnumConverter : JsonConverterFactory
{
    private readonly JsonStringEnumConverter _names = new(namingPolicy: null, allowIntegerValues: false);
    // Answers are written as before: a name, and a number only where a value has none (a figure's total row, say).
    private readonly JsonStringEnumConverter _written = new();

    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Strict<>).MakeGenericType(typeToConvert),
            _names.CreateConverter(typeToConvert, options), _written.CreateConverter(typeToConvert, options))!;

    private sealed class Strict<T>(JsonConverter inner, JsonConverter written) : JsonConverter<T> where T : struct, Enum
    {
        private readonly JsonConverter<T> _inner = (JsonConverter<T>)inner;
        private readonly JsonConverter<T> _written = (JsonConverter<T>)written;
        // A [Flags] value is written as "A, B" and read back the same way; it is never an undefined number.
        private static readonly bool Flags = typeof(T).IsDefined(typeof(FlagsAttribute), inherit: false);

        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.String) throw new JsonException($"Expected one of the names of {typeof(T).Name}.");
            var text = reader.GetString();
            if (string.IsNullOrEmpty(text) || char.IsDigit(text[0]) || text[0] is '-' or '+' || char.IsWhiteSpace(text[0]) || (!Flags && text.Contains(',')))
                throw new JsonException($"Expected one of the names of {typeof(T).Name}.");
            var value = _inner.Read(ref reader, typeToConvert, options);
            return Flags || Enum.IsDefined(value) ? value : throw new JsonException($"Expected one of the names of {typeof(T).Name}.");
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => _written.Write(writer, value, options);

        public override T ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            _inner.ReadAsPropertyName(ref reader, typeToConvert, options);

        public override void WriteAsPropertyName(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            _written.WriteAsPropertyName(writer, value, options);
    }
}
