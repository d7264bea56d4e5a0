import GRDB
public enum StoragePlaceholder {}
