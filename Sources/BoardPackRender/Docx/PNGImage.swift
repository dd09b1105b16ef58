import Foundation
import ZIPFoundation

/// An 8-bit RGB or RGBA PNG image, as Chromium's screenshots are: read, cut into bands of rows,
/// and written again (the Word packs' chart pictures, cut from one screenshot of all a pack's
/// charts). Deflate and CRC-32 are ZIPFoundation's.
struct PNGImage: Equatable {
    let width: Int
    let height: Int
    /// 3 (RGB) or 4 (RGBA).
    let channels: Int
    /// Rows top to bottom, `width × channels` bytes each, unfiltered.
    let pixels: [UInt8]

    enum Problem: Error, Equatable {
        case notPNG
        case unsupported(String)
        case corrupt(String)
    }

    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    init(width: Int, height: Int, channels: Int, pixels: [UInt8]) {
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    /// Reads a non-interlaced 8-bit RGB or RGBA PNG.
    init(decoding data: [UInt8]) throws {
        guard data.count > 33, Array(data[0..<8]) == Self.signature else { throw Problem.notPNG }
        var offset = 8
        var header: (width: Int, height: Int, channels: Int)?
        var compressed: [UInt8] = []
        func be32(_ at: Int) -> Int {
            Int(data[at]) << 24 | Int(data[at + 1]) << 16 | Int(data[at + 2]) << 8 | Int(data[at + 3])
        }
        while offset + 12 <= data.count {
            let length = be32(offset)
            let type = String(decoding: data[offset + 4..<offset + 8], as: UTF8.self)
            let body = offset + 8
            guard length >= 0, body + length + 4 <= data.count else {
                throw Problem.corrupt("a chunk runs past the end")
            }
            switch type {
            case "IHDR":
                guard length == 13 else { throw Problem.corrupt("IHDR") }
                let depth = data[body + 8]
                let colour = data[body + 9]
                let interlace = data[body + 12]
                guard depth == 8, colour == 2 || colour == 6, interlace == 0 else {
                    throw Problem.unsupported("depth \(depth), colour type \(colour), interlace \(interlace)")
                }
                header = (be32(body), be32(body + 4), colour == 6 ? 4 : 3)
            case "IDAT": compressed += data[body..<body + length]
            default: break
            }
            offset = body + length + 4
            if type == "IEND" { break }
        }
        guard let header, header.width > 0, header.height > 0, compressed.count > 6 else {
            throw Problem.corrupt("no header or no image data")
        }
        let stride = header.width * header.channels
        let expected = (stride + 1) * header.height
        var raw: [UInt8] = []
        raw.reserveCapacity(expected)
        // A zlib stream: two header bytes, raw deflate, and an Adler-32 the CRC-less read skips.
        let deflated = Data(compressed[2..<compressed.count - 4])
        do {
            _ = try Data.decompress(
                size: Int64(deflated.count), bufferSize: 1 << 16, skipCRC32: true,
                provider: { position, size in
                    deflated.subdata(in: Int(position)..<min(deflated.count, Int(position) + size))
                },
                consumer: { raw += $0 })
        } catch {
            throw Problem.corrupt("the image data does not inflate")
        }
        guard raw.count >= expected else { throw Problem.corrupt("\(raw.count) bytes of image data, not \(expected)") }
        var pixels = [UInt8](repeating: 0, count: stride * header.height)
        let bpp = header.channels
        for row in 0..<header.height {
            let filter = raw[row * (stride + 1)]
            let source = row * (stride + 1) + 1
            let target = row * stride
            for i in 0..<stride {
                let x = raw[source + i]
                let a = i >= bpp ? Int(pixels[target + i - bpp]) : 0
                let b = row > 0 ? Int(pixels[target - stride + i]) : 0
                let c = row > 0 && i >= bpp ? Int(pixels[target - stride + i - bpp]) : 0
                let predicted: Int
                switch filter {
                case 0: predicted = 0
                case 1: predicted = a
                case 2: predicted = b
                case 3: predicted = (a + b) / 2
                case 4:
                    let p = a + b - c
                    let pa = abs(p - a)
                    let pb = abs(p - b)
                    let pc = abs(p - c)
                    predicted = pa <= pb && pa <= pc ? a : (pb <= pc ? b : c)
                default: throw Problem.corrupt("row \(row) has filter type \(filter)")
                }
                pixels[target + i] = UInt8(truncatingIfNeeded: Int(x) + predicted)
            }
        }
        self.init(width: header.width, height: header.height, channels: header.channels, pixels: pixels)
    }

    /// Rows `rows` of the image (clamped to it).
    func band(_ rows: Range<Int>) -> PNGImage {
        let lower = max(0, min(height, rows.lowerBound))
        let upper = max(lower, min(height, rows.upperBound))
        let stride = width * channels
        return PNGImage(
            width: width, height: upper - lower, channels: channels,
            pixels: Array(pixels[lower * stride..<upper * stride]))
    }

    /// The image as PNG bytes: every row filtered with Up (good for charts' flat areas), deflated.
    func encoded() throws -> Data {
        let stride = width * channels
        var filtered = [UInt8]()
        filtered.reserveCapacity((stride + 1) * height)
        for row in 0..<height {
            filtered.append(row == 0 ? 0 : 2)
            let start = row * stride
            if row == 0 {
                filtered += pixels[start..<start + stride]
            } else {
                for i in 0..<stride { filtered.append(pixels[start + i] &- pixels[start - stride + i]) }
            }
        }
        let input = Data(filtered)
        var deflated = Data()
        _ = try Data.compress(
            size: Int64(input.count), bufferSize: 1 << 16,
            provider: { position, size in input.subdata(in: Int(position)..<min(input.count, Int(position) + size)) },
            consumer: { deflated.append($0) })
        var zlib = Data([0x78, 0x9C])
        zlib.append(deflated)
        // Adler-32, reduced every 5,552 bytes (the most that cannot overflow 32 bits).
        var a: UInt32 = 1
        var b: UInt32 = 0
        var index = 0
        while index < filtered.count {
            let end = min(filtered.count, index + 5552)
            for i in index..<end {
                a &+= UInt32(filtered[i])
                b &+= a
            }
            a %= 65521
            b %= 65521
            index = end
        }
        zlib.append(contentsOf: Self.be32(b << 16 | a))
        var out = Data(Self.signature)
        var header = Data(Self.be32(UInt32(width)) + Self.be32(UInt32(height)))
        header.append(contentsOf: [8, channels == 4 ? 6 : 2, 0, 0, 0])
        out.append(Self.chunk("IHDR", header))
        out.append(Self.chunk("IDAT", zlib))
        out.append(Self.chunk("IEND", Data()))
        return out
    }

    static func be32(_ n: UInt32) -> [UInt8] {
        [UInt8(n >> 24), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)]
    }

    static func chunk(_ type: String, _ body: Data) -> Data {
        var typed = Data(type.utf8)
        typed.append(body)
        var out = Data(be32(UInt32(body.count)))
        out.append(typed)
        out.append(contentsOf: be32(typed.crc32(checksum: 0)))
        return out
    }
}
