import CGloVe
import GloVe

/// The object behind a `glove_features *`.
final class FeaturesHandle {
    let features: FeatureMatrix
    init(_ features: FeatureMatrix) { self.features = features }
}

func featuresHandle(_ handle: OpaquePointer?, _ name: StaticString = "features") throws(GloVeError) -> FeatureMatrix {
    try Arguments.handle(handle, FeaturesHandle.self, name).features
}

@_cdecl("glove_features_create_dense")
public func glove_features_create_dense(_ values: UnsafePointer<Float>?, _ rows: UInt, _ columns: UInt,
                                        _ outFeatures: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    do throws(GloVeError) {
        let out = try Arguments.required(outFeatures, "out_features")
        out.pointee = nil
        let (r, c) = (try Arguments.size(rows, "rows"), try Arguments.size(columns, "columns"))
        let (count, overflow) = r.multipliedReportingOverflow(by: c)
        guard !overflow, count <= 1 << 34 else { throw .outOfMemory("rows × columns (\(r) × \(c)) is too large") }
        guard values != nil || count == 0 else { throw .invalidArgument("values is NULL") }
        let dense = count == 0 ? [] : Array(UnsafeBufferPointer(start: values, count: count))
        out.pointee = Handles.retain(FeaturesHandle(try FeatureMatrix(dense: dense, rows: r, columns: c)))
        return Status.ok
    } catch {
        return fail("glove_features_create_dense", error)
    }
}

@_cdecl("glove_features_create_csr")
public func glove_features_create_csr(_ rows: UInt, _ columns: UInt, _ rowStarts: UnsafePointer<UInt64>?,
                                      _ indices: UnsafePointer<UInt32>?, _ values: UnsafePointer<Float>?, _ count: UInt,
                                      _ outFeatures: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    do throws(GloVeError) {
        let out = try Arguments.required(outFeatures, "out_features")
        out.pointee = nil
        let (r, c) = (try Arguments.size(rows, "rows"), try Arguments.size(columns, "columns"))
        guard r < Int.max else { throw .invalidArgument("rows is too large") }
        let starts = try Arguments.required(rowStarts, "row_starts")
        let total = starts[r]
        guard total == UInt64(count) else {
            throw .invalidArgument("row_starts[rows] (\(total)) must equal nnz, the length of indices and values (\(count))")
        }
        guard total <= 1 << 34 else { throw .outOfMemory("nnz (\(total)) is too large") }
        let nnz = Int(total)
        guard nnz == 0 || (indices != nil && values != nil) else { throw .invalidArgument("indices or values is NULL") }
        var offsets = [Int]()
        offsets.reserveCapacity(r + 1)
        for i in 0...r {
            guard starts[i] <= total else { throw .invalidArgument("row_starts[\(i)] (\(starts[i])) exceeds row_starts[rows] (\(total))") }
            offsets.append(Int(starts[i]))
        }
        var columnIndices = [Int32]()
        columnIndices.reserveCapacity(nnz)
        for e in 0..<nnz {
            guard indices![e] < UInt32(Int32.max) else { throw .invalidArgument("indices[\(e)] (\(indices![e])) is out of range") }
            columnIndices.append(Int32(indices![e]))
        }
        let valueArray = nnz == 0 ? [] : Array(UnsafeBufferPointer(start: values, count: nnz))
        out.pointee = Handles.retain(FeaturesHandle(try FeatureMatrix(rows: r, columns: c, starts: offsets,
                                                                      indices: columnIndices, values: valueArray)))
        return Status.ok
    } catch {
        return fail("glove_features_create_csr", error)
    }
}

@_cdecl("glove_features_load")
public func glove_features_load(_ path: UnsafePointer<CChar>?, _ columns: UInt,
                                _ outFeatures: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    do throws(GloVeError) {
        let out = try Arguments.required(outFeatures, "out_features")
        out.pointee = nil
        let c = try Arguments.size(columns, "columns")
        let features = try FeatureMatrix.load(path: try Arguments.path(path, "path"), columns: c == 0 ? nil : c)
        out.pointee = Handles.retain(FeaturesHandle(features))
        return Status.ok
    } catch {
        return fail("glove_features_load", error)
    }
}

@_cdecl("glove_features_size")
public func glove_features_size(_ features: OpaquePointer?, _ outRows: UnsafeMutablePointer<UInt>?,
                                _ outColumns: UnsafeMutablePointer<UInt>?, _ outNnz: UnsafeMutablePointer<UInt>?) -> Int32 {
    outRows?.pointee = 0
    outColumns?.pointee = 0
    outNnz?.pointee = 0
    do throws(GloVeError) {
        let f = try featuresHandle(features)
        outRows?.pointee = UInt(f.rows)
        outColumns?.pointee = UInt(f.columns)
        outNnz?.pointee = UInt(f.indices.count)
        return Status.ok
    } catch {
        return fail("glove_features_size", error)
    }
}

@_cdecl("glove_features_free")
public func glove_features_free(_ features: OpaquePointer?) {
    Handles.release(features, as: FeaturesHandle.self)
}
