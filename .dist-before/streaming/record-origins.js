/**
 * The origin of each row fed into a micro-batch, by arrival index (the validate stage's `seq`),
 * so that events coming out of the sort can be traced back to their partition and offset.
 * Rows arrive in runs from one partition, so partitions and epochs are kept per run and only
 * the offsets per row.
 */
export class RecordOrigins {
    runStarts = [];
    runPartitions = [];
    runEpochs = [];
    offsets = [];
    get size() {
        return this.offsets.length;
    }
    add(partition, offset, epoch) {
        const last = this.runStarts.length - 1;
        if (last < 0 || this.runPartitions[last] !== partition || this.runEpochs[last] !== epoch) {
            this.runStarts.push(this.offsets.length);
            this.runPartitions.push(partition);
            this.runEpochs.push(epoch);
        }
        this.offsets.push(offset);
    }
    of(index) {
        if (!(index >= 0 && index < this.offsets.length))
            throw new RangeError(`no row ${index} in this micro-batch`);
        let low = 0;
        let high = this.runStarts.length - 1;
        while (low < high) {
            const mid = (low + high + 1) >> 1;
            if (this.runStarts[mid] <= index)
                low = mid;
            else
                high = mid - 1;
        }
        return { partition: this.runPartitions[low], offset: this.offsets[index], epoch: this.runEpochs[low] };
    }
}
//# sourceMappingURL=record-origins.js.map