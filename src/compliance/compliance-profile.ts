import { Duration } from 'aws-cdk-lib';

/** How firmly the vault lock holds. */
export enum VaultLockMode {
  /** Authorized principals can still remove the lock. */
  GOVERNANCE = 'GOVERNANCE',
  /** After its grace time nobody can remove the lock or shorten retention. */
  COMPLIANCE = 'COMPLIANCE',
}

/** Where a profile's minimum comes from. */
export enum RequirementBasis {
  /** The cited source states this requirement. */
  REGULATION = 'REGULATION',
  /** The library's opinion, informed by (but not stated in) the cited source. */
  LIBRARY_OPINION = 'LIBRARY_OPINION',
}

/** One minimum of a compliance profile, with where it comes from. */
export interface ComplianceRequirement {
  /** What is required, e.g. `minimum retention`. */
  readonly name: string;
  /** The value, as a person would read it. */
  readonly value: string;
  /** Whether a source states it, or it is the library's opinion. */
  readonly basis: RequirementBasis;
  /** The source, cited precisely, and what it does and does not say. */
  readonly source: string;
}

/** The minimums of a custom compliance profile. */
export interface ComplianceProfileProps {
  /** The profile's name, shown in errors and reports. */
  readonly name: string;
  /**
   * At least one tier must keep recovery points this long.
   *
   * @default - no retention minimum
   */
  readonly minRetention?: Duration;
  /**
   * At least one tier (the same one that meets `minRetention`) must back up at least this often.
   *
   * @default - no frequency minimum
   */
  readonly maxBackupInterval?: Duration;
  /**
   * The weakest vault lock mode allowed.
   *
   * @default VaultLockMode.GOVERNANCE
   */
  readonly lockMode?: VaultLockMode;
  /**
   * Some tier must copy to another region.
   *
   * @default false
   */
  readonly requireCrossRegionCopy?: boolean;
  /**
   * The primary vault must be encrypted with a customer-managed key.
   *
   * @default true
   */
  readonly requireCustomerManagedKey?: boolean;
  /**
   * Where these minimums come from, for the audit trail.
   *
   * @default - labelled as the user's own policy
   */
  readonly requirements?: ComplianceRequirement[];
}

/**
 * An opinionated bundle of backup minimums for a compliance regime.
 *
 * Presets are the library's reading of each regime, labelled as such: every
 * requirement says whether its source states it or whether it is our opinion.
 * None is legal advice; use `ComplianceProfile.custom()` for your auditor's reading.
 */
export class ComplianceProfile {
  /**
   * Sarbanes-Oxley: keep seven years, daily, compliance-mode lock.
   */
  public static sox(): ComplianceProfile {
    return new ComplianceProfile({
      name: 'SOX',
      minRetention: Duration.days(2555),
      maxBackupInterval: Duration.hours(24),
      lockMode: VaultLockMode.COMPLIANCE,
      requireCustomerManagedKey: true,
      requirements: [
        {
          name: 'minimum retention',
          value: '7 years (2555 days)',
          basis: RequirementBasis.LIBRARY_OPINION,
          source: 'SEC Rule 2-06 of Regulation S-X (17 CFR 210.2-06), adopted under SOX section 802, requires auditors to retain '
            + 'audit and review records for seven years. It does not regulate an issuer\'s backups; the library applies the same '
            + 'period to backups of systems that hold those records.',
        },
        {
          name: 'maximum backup interval',
          value: '24 hours',
          basis: RequirementBasis.LIBRARY_OPINION,
          source: 'No SOX source sets a backup frequency; daily is the library\'s opinion.',
        },
        {
          name: 'vault lock',
          value: 'compliance mode',
          basis: RequirementBasis.LIBRARY_OPINION,
          source: '18 U.S.C. 1519 (SOX section 802) makes destroying or altering records to obstruct an investigation a crime. '
            + 'It does not mandate immutable storage; a compliance-mode lock is the library\'s way to show records cannot be altered.',
        },
      ],
    });
  }

  /**
   * HIPAA Security Rule: keep six years, daily, cross-region copy, customer-managed key.
   */
  public static hipaa(): ComplianceProfile {
    return new ComplianceProfile({
      name: 'HIPAA',
      minRetention: Duration.days(2190),
      maxBackupInterval: Duration.hours(24),
      lockMode: VaultLockMode.GOVERNANCE,
      requireCrossRegionCopy: true,
      requireCustomerManagedKey: true,
      requirements: [
        {
          name: 'data backup plan',
          value: 'retrievable exact copies of ePHI',
          basis: RequirementBasis.REGULATION,
          source: '45 CFR 164.308(a)(7)(ii)(A) (required) demands a data backup plan; it sets no retention or frequency.',
        },
        {
          name: 'minimum retention',
          value: '6 years (2190 days)',
          basis: RequirementBasis.LIBRARY_OPINION,
          source: '45 CFR 164.316(b)(2)(i) requires Security Rule documentation to be kept six years. It does not set a '
            + 'retention for ePHI or its backups; the library applies the same period.',
        },
        {
          name: 'cross-region copy',
          value: 'required',
          basis: RequirementBasis.LIBRARY_OPINION,
          source: '45 CFR 164.308(a)(7)(ii)(B) (required) demands a disaster recovery plan to restore lost data; a copy in '
            + 'another region is the library\'s way to survive a regional outage.',
        },
        {
          name: 'encryption',
          value: 'customer-managed KMS key',
          basis: RequirementBasis.LIBRARY_OPINION,
          source: '45 CFR 164.312(a)(2)(iv) makes encryption of ePHI an addressable specification; the library requires it.',
        },
      ],
    });
  }

  /**
   * PCI DSS: PCI DSS sets no backup retention; the library keeps a year, daily, with a customer-managed key.
   */
  public static pciDss(): ComplianceProfile {
    return new ComplianceProfile({
      name: 'PCI-DSS',
      minRetention: Duration.days(365),
      maxBackupInterval: Duration.hours(24),
      lockMode: VaultLockMode.GOVERNANCE,
      requireCustomerManagedKey: true,
      requirements: [
        {
          name: 'minimum retention',
          value: '1 year (365 days)',
          basis: RequirementBasis.LIBRARY_OPINION,
          source: 'PCI DSS v4.0 sets no backup retention. Requirement 10.5.1 keeps audit logs 12 months (3 immediately '
            + 'available); the library uses that period for backups. Requirement 3.2.1 asks to limit how long account data '
            + 'is kept: do not keep backups holding account data longer than your retention policy allows.',
        },
        {
          name: 'maximum backup interval',
          value: '24 hours',
          basis: RequirementBasis.LIBRARY_OPINION,
          source: 'PCI DSS sets no backup frequency; daily is the library\'s opinion.',
        },
        {
          name: 'encryption',
          value: 'customer-managed KMS key',
          basis: RequirementBasis.REGULATION,
          source: 'PCI DSS v4.0 requirement 3.5.1 requires stored PAN to be unreadable wherever it is stored, backups included.',
        },
      ],
    });
  }

  /** Your own minimums. */
  public static custom(props: ComplianceProfileProps): ComplianceProfile {
    return new ComplianceProfile(props);
  }

  /** The profile's name. */
  public readonly name: string;
  /** At least one tier keeps recovery points this long. */
  public readonly minRetention?: Duration;
  /** The tier meeting `minRetention` backs up at least this often. */
  public readonly maxBackupInterval?: Duration;
  /** The weakest vault lock mode allowed. */
  public readonly lockMode: VaultLockMode;
  /** Some tier must copy to another region. */
  public readonly requireCrossRegionCopy: boolean;
  /** The primary vault must use a customer-managed key. */
  public readonly requireCustomerManagedKey: boolean;
  /** Where the minimums come from. */
  public readonly requirements: ComplianceRequirement[];

  private constructor(props: ComplianceProfileProps) {
    this.name = props.name;
    this.minRetention = props.minRetention;
    this.maxBackupInterval = props.maxBackupInterval;
    this.lockMode = props.lockMode ?? VaultLockMode.GOVERNANCE;
    this.requireCrossRegionCopy = props.requireCrossRegionCopy ?? false;
    this.requireCustomerManagedKey = props.requireCustomerManagedKey ?? true;
    this.requirements = props.requirements ?? [{
      name: 'all minimums',
      value: 'as declared',
      basis: RequirementBasis.LIBRARY_OPINION,
      source: `The ${props.name} profile is the user's own policy.`,
    }];
  }
}
