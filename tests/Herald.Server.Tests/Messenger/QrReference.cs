using Microsoft.Playwright;
using QRCoder;

namespace Herald.Server.Tests.Messenger;

/// <summary>QR codes as rows of '1' (dark) and '0' (light), from a reference encoder and from what the Messenger drew.</summary>
public static class QrReference
{
    /// <summary>The symbol QRCoder makes for the payload, without its quiet zone.</summary>
    public static string[] Rows(string payload, QRCodeGenerator.ECCLevel level = QRCodeGenerator.ECCLevel.M)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(payload, level);
        var matrix = data.ModuleMatrix;
        const int quiet = 4;
        return [.. Enumerable.Range(quiet, matrix.Count - 2 * quiet)
            .Select(y => string.Concat(Enumerable.Range(quiet, matrix.Count - 2 * quiet).Select(x => matrix[y][x] ? '1' : '0')))];
    }

    /// <summary>The modules of a QR code drawn on a canvas, read back from its pixels (the centre of each module).</summary>
    public static async Task<string[]> Drawn(ILocator canvas) =>
        await canvas.EvaluateAsync<string[]>("""
            canvas => {
              const modules = Number(canvas.dataset.modules), quiet = 4, cell = canvas.width / modules;
              const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
              const rows = [];
              for (let y = quiet; y < modules - quiet; y++) {
                let row = '';
                for (let x = quiet; x < modules - quiet; x++) {
                  const px = Math.floor((x + 0.5) * cell), py = Math.floor((y + 0.5) * cell);
                  row += pixels[(py * canvas.width + px) * 4] < 128 ? '1' : '0';
                }
                rows.push(row);
              }
              return rows;
            }
            """);

    /// <summary>What the Messenger's encoder makes for each payload, computed in the page.</summary>
    public static async Task<string[][]> Encoded(IPage page, IEnumerable<string> payloads) =>
        await page.EvaluateAsync<string[][]>("""
            async payloads => {
              const { encodeQr } = await import('/app/js/qr/encode.js');
              return payloads.map(payload => {
                const code = encodeQr(payload);
                return Array.from({ length: code.size }, (_, y) =>
                  Array.from({ length: code.size }, (_, x) => code.dark(x, y) ? '1' : '0').join(''));
              });
            }
            """, payloads.ToArray());
}
