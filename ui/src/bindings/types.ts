/* Generated from src-tauri by `npm run bindings` (json-schema-to-typescript). Do not edit. */

/**
 * What a photo shows; the pack leads with the newest face photo.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "PhotoKind".
 */
export type PhotoKind = 'face' | 'full_length' | 'mark';
/**
 * A staff member's role; agency staff carry the end of their engagement.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "StaffRole".
 */
export type StaffRole =
  | {
      role: 'manager';
    }
  | {
      role: 'keyworker';
    }
  | {
      ends_on: string;
      role: 'agency';
    };
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "MarkKind".
 */
export type MarkKind = 'scar' | 'tattoo' | 'piercing' | 'birthmark' | 'other';
/**
 * Ethnic group, in the words of the 2021 census of England and Wales (the 19 categories), plus
 * "prefers not to say". Chosen by the child, never read off their appearance.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Ethnicity".
 */
export type Ethnicity =
  | AsianAsianBritishOrAsianWelshBangladeshi
  | AsianAsianBritishOrAsianWelshChinese
  | AsianAsianBritishOrAsianWelshIndian
  | AsianAsianBritishOrAsianWelshPakistani
  | AsianAsianBritishOrAsianWelshAnyOtherAsianBackground
  | BlackBlackBritishBlackWelshCaribbeanOrAfricanAfrican
  | BlackBlackBritishBlackWelshCaribbeanOrAfricanCaribbean
  | BlackBlackBritishBlackWelshCaribbeanOrAfricanAnyOtherBlackBlackBritishOrCaribbeanBackground
  | MixedOrMultipleEthnicGroupsWhiteAndAsian
  | MixedOrMultipleEthnicGroupsWhiteAndBlackAfrican
  | MixedOrMultipleEthnicGroupsWhiteAndBlackCaribbean
  | MixedOrMultipleEthnicGroupsAnyOtherMixedOrMultipleEthnicBackground
  | WhiteEnglishWelshScottishNorthernIrishOrBritish
  | WhiteIrish
  | WhiteGypsyOrIrishTraveller
  | WhiteRoma
  | WhiteAnyOtherWhiteBackground
  | OtherEthnicGroupArab
  | OtherEthnicGroupAnyOtherEthnicGroup
  | PrefersNotToSay;
export type AsianAsianBritishOrAsianWelshBangladeshi = 'asian_bangladeshi';
export type AsianAsianBritishOrAsianWelshChinese = 'asian_chinese';
export type AsianAsianBritishOrAsianWelshIndian = 'asian_indian';
export type AsianAsianBritishOrAsianWelshPakistani = 'asian_pakistani';
export type AsianAsianBritishOrAsianWelshAnyOtherAsianBackground = 'asian_other';
export type BlackBlackBritishBlackWelshCaribbeanOrAfricanAfrican = 'black_african';
export type BlackBlackBritishBlackWelshCaribbeanOrAfricanCaribbean = 'black_caribbean';
export type BlackBlackBritishBlackWelshCaribbeanOrAfricanAnyOtherBlackBlackBritishOrCaribbeanBackground = 'black_other';
export type MixedOrMultipleEthnicGroupsWhiteAndAsian = 'mixed_white_asian';
export type MixedOrMultipleEthnicGroupsWhiteAndBlackAfrican = 'mixed_white_black_african';
export type MixedOrMultipleEthnicGroupsWhiteAndBlackCaribbean = 'mixed_white_black_caribbean';
export type MixedOrMultipleEthnicGroupsAnyOtherMixedOrMultipleEthnicBackground = 'mixed_other';
export type WhiteEnglishWelshScottishNorthernIrishOrBritish = 'white_british';
export type WhiteIrish = 'white_irish';
export type WhiteGypsyOrIrishTraveller = 'white_gypsy_irish_traveller';
export type WhiteRoma = 'white_roma';
export type WhiteAnyOtherWhiteBackground = 'white_other';
export type OtherEthnicGroupArab = 'arab';
export type OtherEthnicGroupAnyOtherEthnicGroup = 'any_other';
export type PrefersNotToSay = 'prefers_not_to_say';
/**
 * A decision of the NRM's competent authority.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "NrmDecision".
 */
export type NrmDecision = Awaited | Negative | Positive;
export type Awaited = 'awaited';
export type Negative = 'negative';
export type Positive = 'positive';
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "AgreedParty".
 */
export type AgreedParty = Police | SocialWorker | RegisteredManager | Other;
export type Police = 'police';
export type SocialWorker = 'social_worker';
export type RegisteredManager = 'manager';
export type Other = 'other';
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "TravelCardKind".
 */
export type TravelCardKind = 'oyster' | 'zip_oyster' | 'bus_pass' | 'railcard' | 'other';
/**
 * The child's legal status in care.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "LegalStatus".
 */
export type LegalStatus =
  ('placement_order' | 'other') | 'section20' | 'care_order' | 'interim_care_order' | 'remand' | 'emergency_protection';
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "ProfessionalRole".
 */
export type ProfessionalRole =
  | YouthOffendingWorker
  | ExploitationCSECCEWorker
  | CAMHS
  | Advocate
  | PersonalAdviser
  | IndependentChildTraffickingGuardian
  | Other1;
export type YouthOffendingWorker = 'youth_offending';
export type ExploitationCSECCEWorker = 'exploitation_worker';
export type CAMHS = 'camhs';
export type Advocate = 'advocate';
export type PersonalAdviser = 'personal_adviser';
export type IndependentChildTraffickingGuardian = 'trafficking_guardian';
export type Other1 = 'other';
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "PlacementType".
 */
export type PlacementType =
  'childrens_home' | 'foster_care' | 'supported_accommodation' | 'secure_childrens_home' | 'kinship_care' | 'other';
/**
 * How dangerous a risk-assessed place is for this child, in the home's words for places. Not
 * the police grading of a missing person ([`RiskGrading`]): a place is assessed by the home and
 * its partners, and a force's grading words and rules do not apply to it.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "LocationRisk".
 */
export type LocationRisk = SomeConcernCheckHere | RiskKnownGoWithCare | SeriousHarmKnownHere;
export type SomeConcernCheckHere = 'low';
export type RiskKnownGoWithCare = 'medium';
export type SeriousHarmKnownHere = 'high';
/**
 * The carer's assessment of one risk.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Concern".
 */
export type Concern = 'no_concern' | 'suspected' | 'known';
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "WantedStatus".
 */
export type WantedStatus = NotWantedByPolice | CirculatedByPolice | WantedByPolice;
export type NotWantedByPolice = 'not_wanted';
export type CirculatedByPolice = 'circulated';
export type WantedByPolice = 'wanted';
/**
 * Why a revision was written. Stored as `as_str()`; a kind this build does not know is
 * `store.damaged`.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "RevisionKind".
 */
export type RevisionKind = 'create' | 'edit' | 'review' | 'import';
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "ReadinessState".
 */
export type ReadinessState = 'not_ready' | 'attention' | 'ready';
/**
 * A reader of the pack; each gets its own version, rendered from the same revision.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Audience".
 */
export type Audience = 'police' | 'second_force' | 'social_care' | 'extra_address' | 'extra_address_widened';
/**
 * How a recipient is reached.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Channel".
 */
export type Channel = 'email' | 'https';
/**
 * A delivery's state.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "DeliveryState".
 */
export type DeliveryState = 'queued' | 'sending' | 'delivered' | 'failed' | 'given_up';
/**
 * The police grading of risk for a missing person, also used for the carer's view (places have
 * their own words, [`LocationRisk`]).
 * Which of these a force offers, and its words for them, is data (`practice`): "no apparent
 * risk" is kept only so a grading recorded before it was dropped for children still reads back
 * as recorded; it is never offered for a child.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "RiskGrading".
 */
export type RiskGrading = 'no_apparent_risk' | 'very_low' | 'low' | 'medium' | 'high';
/**
 * What kind of episode this is. Councils count them apart (DfE 2014): a child whose
 * whereabouts are unknown is missing; one whose whereabouts are known but who is not where they
 * should be is away from placement without authorisation.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "EpisodeType".
 */
export type EpisodeType = 'missing' | 'away_without_authorisation';
/**
 * What an entry records. Stored as `as_str()` (the audit action is `episode_<kind>`); a kind
 * this build does not know is `store.damaged`, never skipped.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "EventKind".
 */
export type EventKind =
  | 'step'
  | 'part2'
  | 'report'
  | 'not_accepted'
  | 'update'
  | 'found'
  | 'prevention_interview'
  | 'return_home_interview'
  | 'acknowledgement'
  | 'recipients'
  | 'close'
  | 'episode_type'
  | 'strategy_meeting';
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "NotifiedParty".
 */
export type NotifiedParty = 'police' | 'social_worker' | 'out_of_hours' | 'manager' | 'ofsted' | 'parent' | 'other';
/**
 * How an interview was done.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "InterviewMethod".
 */
export type InterviewMethod = 'face_to_face' | 'phone';
/**
 * Who the police spoke to for the prevention interview.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "InterviewWith".
 */
export type InterviewWith = 'child' | 'carer';
/**
 * How the report reached the police.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "ReportChannel".
 */
export type ReportChannel = 'phone999' | 'phone101' | 'email' | 'online_portal' | 'intake' | 'in_person';
/**
 * What became of the return-home interview: only one carried out counts.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "RhiOutcome".
 */
export type RhiOutcome = 'carried_out' | 'offered' | 'refused';
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "UpdateKind".
 */
export type UpdateKind = 'sighting' | 'information' | 'call' | 'passed_to_police';
/**
 * A flag raised on a child. Stored as `as_str()`; unknown is `store.damaged`.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "FlagKind".
 */
export type FlagKind = 'review_after_episode' | 'strategy_meeting';
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Role".
 */
export type Role = 'police' | 'social_worker' | 'out_of_hours' | 'manager' | 'other';
/**
 * Why a message was queued. Stored as `as_str()`; unknown is `store.damaged`.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Purpose".
 */
export type Purpose = 'pack' | 'not_accepted_notice' | 'update' | 'returned_notice';
/**
 * How much a field matters to the police in the first hours.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Priority".
 */
export type Priority = 'optional' | 'critical' | 'high';
/**
 * The groups of Part 1, lettered A to K in the order DOMAIN.md gives them.
 *
 * Checked against the published forms DOMAIN.md cites: their sections are not lettered and
 * differ in order and name, so no letter here is claimed to be theirs. The London "Looked After
 * Child Information Sharing form" itself could NOT be checked (it is not published, and this
 * build has no network): the letters and titles are this project's map of the form, not a copy
 * of the London form's. What the published forms hold and ours lacked (parental responsibility,
 * the other professionals, the trigger plan, missing and wanted, NRM status, self-defined
 * ethnicity, risk words for places) is in version 2 of the form.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Group".
 */
export type Group =
  | 'administration'
  | 'identity'
  | 'description'
  | 'placement'
  | 'health'
  | 'phones_online'
  | 'money_travel'
  | 'people'
  | 'places'
  | 'missing_history'
  | 'risks';
/**
 * STARTTLS on the submission port, or TLS from the first byte. There is no plaintext option.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "SmtpSecurity".
 */
export type SmtpSecurity = 'starttls' | 'implicit_tls';
/**
 * What kind of placement this store serves: the words on the pack and the checklist differ a
 * little (a foster carer is not "staff on shift").
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "HomeType".
 */
export type HomeType = 'childrens_home' | 'foster_home' | 'supported_accommodation' | 'other';
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "UnlockInput".
 */
export type UnlockInput =
  | {
      method: 'pin';
      pin: string;
      staff_name: string;
    }
  | {
      method: 'passphrase';
      passphrase: string;
    }
  | {
      method: 'recovery_key';
      recovery_key: string;
    };
/**
 * Every error code a command can answer with (each crate's CODES and the app's own).
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "ErrorCode".
 */
export type ErrorCode =
  | 'app.bad_input'
  | 'app.locked'
  | 'app.no_save_folder'
  | 'app.reason_required'
  | 'app.save_failed'
  | 'app.setup_incomplete'
  | 'app.unexpected'
  | 'app.update_empty'
  | 'form.invalid'
  | 'interchange.malformed'
  | 'interchange.unknown_format'
  | 'interchange.unknown_version'
  | 'pack.font_missing_glyphs'
  | 'pack.photo_unreadable'
  | 'pack.render_failed'
  | 'photo.corrupt'
  | 'photo.empty'
  | 'photo.encode_failed'
  | 'photo.file_too_large'
  | 'photo.heic_unsupported'
  | 'photo.not_as_stored'
  | 'photo.too_many_pixels'
  | 'photo.unsupported_format'
  | 'practice.invalid'
  | 'send.ack_feed'
  | 'send.auth_failed'
  | 'send.bad_address'
  | 'send.bad_certificate'
  | 'send.bad_domain'
  | 'send.compose_failed'
  | 'send.directory_invalid'
  | 'send.grading_not_offered'
  | 'send.intake_conflict'
  | 'send.intake_rejected'
  | 'send.intake_unauthorised'
  | 'send.needs_manager'
  | 'send.no_address'
  | 'send.no_pack_yet'
  | 'send.no_token'
  | 'send.reason_required'
  | 'send.rejected'
  | 'send.server_busy'
  | 'send.settings_invalid'
  | 'send.smtp_incomplete'
  | 'send.smtp_not_configured'
  | 'send.timeout'
  | 'send.tls_required'
  | 'send.token_required'
  | 'send.too_large'
  | 'send.unknown_host'
  | 'send.unknown_unit'
  | 'send.unreachable'
  | 'send.untrusted_certificate'
  | 'send.widen_needs_manager'
  | 'send.widen_reason_required'
  | 'store.already_initialised'
  | 'store.bad_strategy_rule'
  | 'store.child_ambiguous'
  | 'store.child_archived'
  | 'store.child_not_found'
  | 'store.damaged'
  | 'store.database'
  | 'store.delivery_claim_lost'
  | 'store.delivery_not_found'
  | 'store.delivery_on_another_device'
  | 'store.delivery_state'
  | 'store.device_secret_missing'
  | 'store.engagement_ended'
  | 'store.episode_already_open'
  | 'store.episode_closed'
  | 'store.episode_not_found'
  | 'store.episode_other_child'
  | 'store.event_not_found'
  | 'store.io'
  | 'store.keychain_unavailable'
  | 'store.keyslots_damaged'
  | 'store.keyslots_missing'
  | 'store.last_manager'
  | 'store.newer_schema'
  | 'store.no_disagreement'
  | 'store.no_passphrase_slot'
  | 'store.no_pin_slot'
  | 'store.no_recipients'
  | 'store.no_such_staff'
  | 'store.not_initialised'
  | 'store.not_permitted'
  | 'store.passphrase_needed'
  | 'store.passphrase_too_short'
  | 'store.pin_format'
  | 'store.recovery_key_format'
  | 'store.revision_not_found'
  | 'store.staff_disabled'
  | 'store.staff_exists'
  | 'store.sync_already_joined'
  | 'store.sync_not_joined'
  | 'store.sync_record_invalid'
  | 'store.too_many_attempts'
  | 'store.unencodable'
  | 'store.wrong_secret'
  | 'sync.cannot_open'
  | 'sync.cannot_unwrap'
  | 'sync.fingerprint_mismatch'
  | 'sync.malformed'
  | 'sync.network'
  | 'sync.no_such_pairing'
  | 'sync.random'
  | 'sync.refused'
  | 'sync.store_locked'
  | 'sync.unknown_epoch';

/**
 * Generated from src-tauri (cargo test -p grabpack-app bindings). Do not edit.
 */
export interface Bindings {
  commands: Commands;
  error: UiError;
}
export interface Commands {
  add_photo: {
    args: {
      input: AddPhotoInput;
    };
    result: PhotoInfo;
  };
  add_staff: {
    args: {
      input: AddStaffInput;
    };
    result: StaffMember;
  };
  app_status: {
    args: null;
    result: AppStatus;
  };
  audit_list: {
    args: {
      input: AuditQuery;
    };
    result: HomeAuditEntry[];
  };
  audit_verify: {
    args: null;
    result: DeviceChainReport[];
  };
  child: {
    args: {
      input: ChildRef;
    };
    result: ChildRecord;
  };
  choose_disagreement: {
    args: {
      input: ChooseInput;
    };
    result: RevisionInfo;
  };
  create_child: {
    args: {
      input: CreateChildInput;
    };
    result: string;
  };
  dashboard: {
    args: {
      input: DashboardQuery;
    };
    result: DashboardPage;
  };
  delivery_give_up: {
    args: {
      input: GiveUpInput;
    };
    result: Delivery;
  };
  delivery_retry: {
    args: {
      input: DeliveryRef;
    };
    result: Delivery;
  };
  diff: {
    args: {
      input: DiffInput;
    };
    result: FieldChange[];
  };
  directory: {
    args: {
      input: DirectoryQuery;
    };
    result: Unit[];
  };
  directory_edit: {
    args: {
      input: DirectoryEditInput;
    };
    result: Unit;
  };
  disable_staff: {
    args: {
      input: StaffRef;
    };
    result: null;
  };
  disagreements: {
    args: {
      input: ChildRef;
    };
    result: DisagreementView[];
  };
  episode: {
    args: {
      input: EpisodeRef;
    };
    result: EpisodeView;
  };
  episode_close: {
    args: {
      input: CloseInput;
    };
    result: EpisodeView;
  };
  episode_found: {
    args: {
      input: FoundInput;
    };
    result: EpisodeView;
  };
  episode_interview: {
    args: {
      input: InterviewInput;
    };
    result: EpisodeView;
  };
  episode_not_accepted: {
    args: {
      input: NotAcceptedInput;
    };
    result: EpisodeView;
  };
  episode_pack: {
    args: {
      input: EpisodeRef;
    };
    result: PackFile;
  };
  episode_part2: {
    args: {
      input: Part2Input;
    };
    result: EpisodeView;
  };
  episode_report: {
    args: {
      input: ReportInput;
    };
    result: EpisodeView;
  };
  episode_send: {
    args: {
      input: SendPackInput;
    };
    result: EpisodeView;
  };
  episode_send_update: {
    args: {
      input: SendUpdateInput;
    };
    result: EpisodeView;
  };
  episode_step: {
    args: {
      input: StepInput;
    };
    result: EpisodeView;
  };
  episode_strategy_meeting: {
    args: {
      input: StrategyMeetingInput;
    };
    result: EpisodeView;
  };
  episode_type: {
    args: {
      input: EpisodeTypeInput;
    };
    result: EpisodeView;
  };
  episode_update: {
    args: {
      input: UpdateInput;
    };
    result: EpisodeView;
  };
  fields: {
    args: null;
    result: FieldView[];
  };
  history: {
    args: {
      input: ChildRef;
    };
    result: RevisionInfo[];
  };
  lock: {
    args: null;
    result: null;
  };
  missing_preview: {
    args: {
      input: ChildRef;
    };
    result: MissingPreview;
  };
  missing_start: {
    args: {
      input: StartEpisodeInput;
    };
    result: EpisodeView;
  };
  open_episodes: {
    args: null;
    result: OpenEpisodeCard[];
  };
  photo: {
    args: {
      input: PhotoRef;
    };
    result: string;
  };
  prepare_unlock: {
    args: null;
    result: null;
  };
  readiness: {
    args: {
      input: ChildRef;
    };
    result: ReasonView[];
  };
  remove_certificate: {
    args: {
      input: RemoveCertificateInput;
    };
    result: SendSettingsView;
  };
  review: {
    args: {
      input: ReviewInput;
    };
    result: RevisionInfo;
  };
  save_child_copy: {
    args: {
      input: ChildCopyRequest;
    };
    result: SavedChildCopy;
  };
  save_form: {
    args: {
      input: SaveFormInput;
    };
    result: RevisionInfo;
  };
  save_pack: {
    args: {
      input: SavePackInput;
    };
    result: SavedPack;
  };
  send_settings: {
    args: null;
    result: SendSettingsView;
  };
  send_test: {
    args: {
      input: SendTestInput;
    };
    result: string;
  };
  set_home_unit: {
    args: {
      input: HomeUnitInput;
    };
    result: SendSettingsView;
  };
  set_intake_token: {
    args: {
      input: IntakeTokenInput;
    };
    result: SendSettingsView;
  };
  set_own_pin: {
    args: {
      input: NewPinInput;
    };
    result: SessionView;
  };
  set_public_domains: {
    args: {
      input: PublicDomainsInput;
    };
    result: SendSettingsView;
  };
  set_settings: {
    args: {
      input: HomeSettings;
    };
    result: SessionView;
  };
  set_smtp: {
    args: {
      input: SmtpInput;
    };
    result: SendSettingsView;
  };
  set_strategy_meeting_rule: {
    args: {
      input: StrategyMeetingRule;
    };
    result: HomeSettings;
  };
  settings: {
    args: null;
    result: HomeSettings;
  };
  setup_store: {
    args: {
      input: SetupInput;
    };
    result: SetupResult;
  };
  staff: {
    args: null;
    result: StaffMember[];
  };
  still_here: {
    args: null;
    result: null;
  };
  sync_approve: {
    args: {
      input: SyncApproveInput;
    };
    result: WaitingDeviceView;
  };
  sync_devices: {
    args: null;
    result: HomeDeviceView[];
  };
  sync_enrol: {
    args: {
      input: SyncEnrolInput;
    };
    result: SyncStatusView;
  };
  sync_now: {
    args: null;
    result: SyncStatusView;
  };
  sync_pair: {
    args: {
      input: SyncPairInput;
    };
    result: SyncStatusView;
  };
  sync_revoke: {
    args: {
      input: SyncRevokeInput;
    };
    result: null;
  };
  sync_status: {
    args: null;
    result: SyncStatusView;
  };
  sync_waiting: {
    args: null;
    result: WaitingDeviceView[];
  };
  trust_certificate: {
    args: {
      input: TrustCaInput;
    };
    result: SendSettingsView;
  };
  unlock: {
    args: {
      input: UnlockInput;
    };
    result: SessionView;
  };
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "AddPhotoInput".
 */
export interface AddPhotoInput {
  /**
   * The file's bytes, base64.
   */
  bytes_base64: string;
  child_id: string;
  kind: PhotoKind;
  /**
   * Overrides the camera's date.
   */
  taken_on?: string | null;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "PhotoInfo".
 */
export interface PhotoInfo {
  added_at: string;
  height: number;
  id: string;
  kind: PhotoKind;
  sha256: string;
  taken_on?: string | null;
  width: number;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "AddStaffInput".
 */
export interface AddStaffInput {
  name: string;
  pin?: string | null;
  role: StaffRole;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "StaffMember".
 */
export interface StaffMember {
  created_at: string;
  disabled_at?: string | null;
  has_pin: boolean;
  id: string;
  name: string;
  role: StaffRole;
}
/**
 * What the app shows before anyone unlocks it.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "AppStatus".
 */
export interface AppStatus {
  /**
   * Started with GRABPACK_DEMO=1 or --demo on a demo store.
   */
  demo: boolean;
  /**
   * Whether the system keychain works here: PINs need it.
   */
  keychain_available: boolean;
  /**
   * While locked: deliveries the app is still sending in the background (0 when none).
   */
  sending_while_locked: number;
  session?: SessionView | null;
  /**
   * Staff with a PIN on this device, for the unlock screen's picker (names only).
   */
  staff_on_device: string[];
  store_exists: boolean;
}
/**
 * Who is unlocked, and what they may do.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "SessionView".
 */
export interface SessionView {
  /**
   * `staff`, `passphrase` or `recovery_key`.
   */
  actor_kind: string;
  actor_name: string;
  /**
   * The app locks itself after this much idle time.
   */
  auto_lock_seconds: number;
  can_administer: boolean;
  home_name: string;
  /**
   * Unlocked with a PIN shorter than new PINs may be (a store from before 6-digit PINs): the
   * window asks for a new one.
   */
  pin_change_due: boolean;
  /**
   * A rotation's new recovery key has not been typed back (`grabpack keys confirm-recovery`):
   * the previous one still opens the store, and the dashboard says so until it is.
   */
  recovery_key_unconfirmed: boolean;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "AuditQuery".
 */
export interface AuditQuery {
  action?: string | null;
  child_id?: string | null;
  limit?: number | null;
}
/**
 * An entry of the home's audit view: this device's own (`device` is `None`) or another
 * device's.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "HomeAuditEntry".
 */
export interface HomeAuditEntry {
  action: string;
  actor: string;
  at: string;
  child_id?: string | null;
  detail: string;
  device?: string | null;
  seq: number;
}
/**
 * One device's chain as verified here: this device's own first (`device` is `None`).
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "DeviceChainReport".
 */
export interface DeviceChainReport {
  /**
   * The first entry whose hash does not follow from the ones before it.
   */
  broken_at?: number | null;
  device?: string | null;
  entries: number;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "ChildRef".
 */
export interface ChildRef {
  child_id: string;
}
/**
 * A child's current record.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "ChildRecord".
 */
export interface ChildRecord {
  archived_at?: string | null;
  form: ChildForm;
  id: string;
  /**
   * Newest first: face photos lead, then by date taken.
   */
  photos: PhotoInfo[];
  revision: RevisionInfo;
}
/**
 * Part 1 of the grab pack: the live profile of one child, groups A to K.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "ChildForm".
 */
export interface ChildForm {
  administration?: Administration;
  /**
   * Field paths (as in the field table) the carer confirmed have nothing to record, such as
   * "no medication" or "no marks": they count as answered for readiness.
   */
  confirmed_none?: string[];
  description?: Description;
  /**
   * Field paths the carer marked "do not share": kept in the record, left out of every pack.
   */
  do_not_share?: string[];
  health?: Health;
  identity?: Identity;
  missing_history?: MissingHistory;
  money_travel?: MoneyTravel;
  people?: People;
  phones_online?: PhonesOnline;
  placement?: Placement;
  places?: Places;
  risks?: Risks;
}
/**
 * A. Administration.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Administration".
 */
export interface Administration {
  /**
   * The child's own words about what they would want police and carers to know.
   */
  child_contribution?: string;
  /**
   * Whether the child was told when this form will be shared.
   */
  child_told_when_shared?: boolean | null;
  /**
   * Who completed the form (name, role, organisation).
   */
  completed_by?: CompletedBy;
  completed_on?: string | null;
  /**
   * Overrides the home's default protective marking for this child's packs.
   */
  protective_marking?: string;
  transfer_history?: Transfer[];
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "CompletedBy".
 */
export interface CompletedBy {
  name?: string;
  organisation?: string;
  role?: string;
}
/**
 * A handover of the form between placements.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Transfer".
 */
export interface Transfer {
  date?: string | null;
  from?: string;
  note?: string;
  to?: string;
}
/**
 * C. Description (photos are stored beside the form, not inside it).
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Description".
 */
export interface Description {
  build?: string;
  eyes?: string;
  facial_hair?: string;
  /**
   * Glasses, hearing aids and other aids.
   */
  glasses_aids?: string;
  hair?: string;
  height_cm?: number | null;
  /**
   * Scars, tattoos, piercings, birthmarks.
   */
  marks?: Mark[];
  usual_dress?: string;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Mark".
 */
export interface Mark {
  description?: string;
  kind?: MarkKind & string;
  location?: string;
}
/**
 * E. Health.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Health".
 */
export interface Health {
  allergies?: string;
  conditions?: string;
  /**
   * Disability, learning disability, autism, communication needs.
   */
  disability_communication?: string;
  gp?: Contact;
  medication?: Medication[];
  /**
   * Mental health, self-harm and suicide risk, in the carer's words.
   */
  mental_health?: string;
  pregnancy?: string;
  /**
   * Whether there is a known risk of self-harm or suicide (a page-one label).
   */
  self_harm_risk?: boolean | null;
  substance_use?: string;
}
/**
 * A person or team reached by phone and email.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Contact".
 */
export interface Contact {
  email?: string;
  name?: string;
  phone?: string;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Medication".
 */
export interface Medication {
  dose?: string;
  /**
   * What happens if doses are missed: this is what makes a short absence dangerous.
   */
  effect_if_missed?: string;
  name?: string;
}
/**
 * B. Identity.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Identity".
 */
export interface Identity {
  accent?: string;
  /**
   * Appearance as the police would describe it (skin tone, features): not the child's
   * ethnicity, which is theirs to say. Version 1 kept both in `ethnicity_appearance`.
   */
  appearance?: string;
  date_of_birth?: string | null;
  /**
   * The child's own, self-defined ethnicity, as a 2021 census category (England and Wales).
   */
  ethnicity?: Ethnicity | null;
  /**
   * The child's ethnicity in their own words, above all for an "any other" background.
   */
  ethnicity_own_words?: string;
  first_language?: string;
  gender?: string;
  /**
   * Previous police references, National Referral Mechanism reference and the like.
   */
  identifiers?: Identifier[];
  immigration_status?: string;
  interpreter_needed?: boolean | null;
  /**
   * Known-as names, nicknames, aliases and other spellings.
   */
  known_as?: string[];
  /**
   * Full legal name, in the child's own script where they write it so.
   */
  legal_name?: string;
  nationality?: string;
  /**
   * National Referral Mechanism: referral and decisions.
   */
  nrm?: NrmStatus;
  /**
   * Passport or ID held, and where it is kept.
   */
  passport_id?: string;
  /**
   * A concern that the child has been or is being trafficked (the police need the flag, not
   * the whole immigration history).
   */
  trafficking_concern?: boolean | null;
  /**
   * Unaccompanied asylum-seeking child.
   */
  unaccompanied_asylum_seeker?: boolean | null;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Identifier".
 */
export interface Identifier {
  kind?: string;
  value?: string;
}
/**
 * The child's National Referral Mechanism (modern slavery) status: a referral and the two
 * decisions on it.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "NrmStatus".
 */
export interface NrmStatus {
  /**
   * The conclusive grounds decision.
   */
  conclusive_grounds?: NrmDecision | null;
  conclusive_grounds_on?: string | null;
  /**
   * The reasonable grounds decision.
   */
  reasonable_grounds?: NrmDecision | null;
  reasonable_grounds_on?: string | null;
  /**
   * Whether a referral has been made.
   */
  referred?: boolean | null;
  referred_on?: string | null;
}
/**
 * J. Missing history. The app adds its own episodes; this holds what came before it.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "MissingHistory".
 */
export interface MissingHistory {
  police_references?: string[];
  previous_episodes?: PastEpisode[];
  /**
   * When this child is to be reported missing, as agreed with police and the social worker.
   */
  trigger_plan?: TriggerPlan;
  /**
   * Usual pattern: times, triggers, routes.
   */
  usual_pattern?: string;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "PastEpisode".
 */
export interface PastEpisode {
  duration_hours?: number | null;
  harm?: string;
  police_reference?: string;
  started?: string | null;
  where_found?: string;
  who_with?: string;
}
/**
 * The agreed trigger plan: the point at which staff report this child missing (the seed's
 * "trigger assessment"), who agreed it and when. Shown when staff decide to report.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "TriggerPlan".
 */
export interface TriggerPlan {
  agreed_on?: string | null;
  /**
   * Who agreed it: the police (officer, unit), the social worker, others.
   */
  agreed_with?: TriggerAgreement[];
  /**
   * When to report, e.g. "not back by 22:00 and not answering their phone".
   */
  when_to_report?: string;
}
/**
 * One party to the trigger plan.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "TriggerAgreement".
 */
export interface TriggerAgreement {
  /**
   * Their name, role or unit (e.g. "PC 1234 Example, Hackney missing persons unit").
   */
  name?: string;
  party?: AgreedParty & string;
}
/**
 * G. Money and travel. Bank cards by their last 4 digits only.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "MoneyTravel".
 */
export interface MoneyTravel {
  bank_cards?: BankCard[];
  cash_benefits?: string;
  travel_cards?: TravelCard[];
  vehicles?: string;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "BankCard".
 */
export interface BankCard {
  bank?: string;
  /**
   * Exactly four digits: the whole number is never stored.
   */
  last4?: string;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "TravelCard".
 */
export interface TravelCard {
  kind?: TravelCardKind & string;
  /**
   * The card's printed number or a note (Oyster numbers help police trace journeys).
   */
  reference?: string;
}
/**
 * H. People.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "People".
 */
export interface People {
  /**
   * Associates, including adults of concern and their vehicles.
   */
  associates?: Person[];
  family?: Person[];
  friends?: Person[];
  /**
   * Boyfriend or girlfriend.
   */
  partners?: Person[];
  /**
   * Trusted adults the child would go to.
   */
  trusted_adults?: Person[];
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Person".
 */
export interface Person {
  address?: Address;
  handles?: SocialHandle[];
  name?: string;
  /**
   * An adult or peer of concern (exploitation, violence): highlighted in the pack.
   */
  of_concern?: boolean;
  phones?: string[];
  /**
   * Someone the child must not be placed with or taken to. Police see their address marked
   * "Risk: do not return the child here"; everyone else who gets the pack sees only the name
   * and the warning.
   */
  protected_address?: boolean;
  relationship?: string;
  risk_note?: string;
  /**
   * Vehicle make, colour and registration, for associates above all.
   */
  vehicle?: string;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Address".
 */
export interface Address {
  /**
   * The London borough or local authority area, used to route a report.
   */
  borough?: string;
  lines?: string[];
  postcode?: string;
  town?: string;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "SocialHandle".
 */
export interface SocialHandle {
  handle?: string;
  /**
   * Snapchat, Instagram, TikTok, a game's network, ...
   */
  platform?: string;
}
/**
 * F. Phones and online. Handles only: never passwords.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "PhonesOnline".
 */
export interface PhonesOnline {
  email?: string;
  location_sharing?: string;
  mobiles?: Phone[];
  social_handles?: SocialHandle[];
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Phone".
 */
export interface Phone {
  handset?: string;
  network?: string;
  note?: string;
  number?: string;
}
/**
 * D. Placement and professionals.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Placement".
 */
export interface Placement {
  address?: Address;
  /**
   * For a foster placement: the fostering agency's out-of-hours line.
   */
  agency_out_of_hours?: Contact;
  /**
   * Contact restrictions and court orders: people the child must not see.
   */
  contact_restrictions?: string;
  /**
   * Education, health and care plan or special educational needs.
   */
  ehc_plan_sen?: string;
  family_addresses?: Address[];
  /**
   * For a foster placement: the fostering agency.
   */
  fostering_agency?: Contact;
  /**
   * The number that is answered 24 hours a day.
   */
  home_phone_24h?: string;
  /**
   * The council the placement is in.
   */
  host_council?: string;
  /**
   * Independent Reviewing Officer.
   */
  iro?: Professional;
  legal_status?: LegalStatus | null;
  /**
   * Youth offending, exploitation, CAMHS, advocate, personal adviser, independent child
   * trafficking guardian and other professionals around the child.
   */
  other_professionals?: OtherProfessional[];
  /**
   * The placing council's out-of-hours (emergency duty) team.
   */
  out_of_hours?: Contact;
  /**
   * Who holds parental responsibility (a child accommodated under section 20 keeps parents
   * who hold it) and whether and how each is told of an episode.
   */
  parental_responsibility?: ParentalResponsibility[];
  placement_start?: string | null;
  placement_type?: PlacementType | null;
  /**
   * The placing (responsible) council.
   */
  placing_council?: string;
  previous_placements?: PreviousPlacement[];
  registered_manager?: Contact;
  school?: School;
  social_worker?: Professional;
  /**
   * For a foster placement: the carers' supervising social worker.
   */
  supervising_social_worker?: Professional;
}
/**
 * A named professional with their team.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Professional".
 */
export interface Professional {
  email?: string;
  name?: string;
  phone?: string;
  team?: string;
}
/**
 * Another professional around the child, with their organisation and contact.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "OtherProfessional".
 */
export interface OtherProfessional {
  email?: string;
  name?: string;
  organisation?: string;
  phone?: string;
  role?: ProfessionalRole & string;
}
/**
 * One person or body holding parental responsibility.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "ParentalResponsibility".
 */
export interface ParentalResponsibility {
  /**
   * How and by whom they are told (and anything agreed about it).
   */
  how_told?: string;
  name?: string;
  phone?: string;
  /**
   * Mother, father, special guardian, the council (under a care order), ...
   */
  relationship?: string;
  /**
   * Whether they are to be told when the child goes missing.
   */
  told_of_episode?: boolean | null;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "PreviousPlacement".
 */
export interface PreviousPlacement {
  address?: Address;
  description?: string;
  from?: string | null;
  to?: string | null;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "School".
 */
export interface School {
  address?: Address;
  contact?: Contact;
  name?: string;
}
/**
 * I. Places.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Places".
 */
export interface Places {
  /**
   * Places the child was found in past episodes.
   */
  found_before?: Place[];
  /**
   * Locations frequented: where, why, when.
   */
  frequented?: Place[];
  out_of_area?: Place[];
  risk_assessed?: RiskAssessedLocation[];
  /**
   * Places of significance and interests.
   */
  significant?: Place[];
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Place".
 */
export interface Place {
  address?: Address;
  name?: string;
  when?: string;
  why?: string;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "RiskAssessedLocation".
 */
export interface RiskAssessedLocation {
  address?: Address;
  /**
   * Who local to the place can help (a shop, a youth worker, a neighbourhood officer).
   */
  local_contact?: string;
  name?: string;
  reason?: string;
  /**
   * The place's own risk words (not the police grading of a missing person).
   */
  risk_level?: LocationRisk | null;
}
/**
 * K. Risks, each with the carer's assessment and a note.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Risks".
 */
export interface Risks {
  abduction_warning_notices?: RiskEntry;
  child_protection_plan?: RiskEntry;
  /**
   * Criminal exploitation, county lines, gangs.
   */
  criminal_exploitation?: RiskEntry;
  /**
   * Domestic abuse and family conflict.
   */
  domestic_abuse?: RiskEntry;
  /**
   * FGM, forced marriage and honour-based abuse.
   */
  harmful_practices?: RiskEntry;
  radicalisation?: RiskEntry;
  risk_to_others?: RiskEntry;
  sexual_exploitation?: RiskEntry;
  /**
   * Trafficking and modern slavery.
   */
  trafficking?: RiskEntry;
  /**
   * Missing and wanted: whether police want the child (a warrant, a breach) or have
   * circulated them.
   */
  wanted?: Wanted;
  /**
   * Bail conditions, orders, youth justice.
   */
  youth_justice?: RiskEntry;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "RiskEntry".
 */
export interface RiskEntry {
  /**
   * None means "not yet assessed", which is not the same as "no concern".
   */
  concern?: Concern | null;
  note?: string;
}
/**
 * Whether the child is wanted or circulated by police, beside being missing.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Wanted".
 */
export interface Wanted {
  /**
   * The force that wants or circulated the child.
   */
  force?: string;
  /**
   * Why (a warrant, a breach of bail) and any reference.
   */
  reason?: string;
  /**
   * `None` means not known, which is not the same as "not wanted".
   */
  status?: WantedStatus | null;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "RevisionInfo".
 */
export interface RevisionInfo {
  changed_paths: string[];
  kind: RevisionKind;
  note: string;
  saved_at: string;
  saved_by: string;
  saved_by_name: string;
  seq: number;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "ChooseInput".
 */
export interface ChooseInput {
  child_id: string;
  /**
   * True to keep what the record shows, false to take the other edit's value.
   */
  keep_shown: boolean;
  path: string;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "CreateChildInput".
 */
export interface CreateChildInput {
  form: ChildForm;
  note: string;
}
/**
 * Which of the dashboard's cards to send: the first few (the window's first screenful) or all.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "DashboardQuery".
 */
export interface DashboardQuery {
  /**
   * At most this many cards, the first in the store's order; none: every card.
   */
  first?: number | null;
}
/**
 * Cards of the dashboard, in the store's order (what needs attention first; the window keeps
 * it), with how many children there are in all.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "DashboardPage".
 */
export interface DashboardPage {
  cards: DashboardCard[];
  total: number;
}
/**
 * A child's card on the dashboard.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "DashboardCard".
 */
export interface DashboardCard {
  age?: number | null;
  critical_missing: number;
  /**
   * The child's latest revision could not be read: the card says so instead of showing an
   * empty name (the record needs restoring; every other card is still there).
   */
  damaged: boolean;
  face_photo_id?: string | null;
  id: string;
  known_as: string[];
  legal_name: string;
  reasons: ReasonView[];
  state: ReadinessState;
}
/**
 * One reason on a dashboard card, with the words to show.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "ReasonView".
 */
export interface ReasonView {
  /**
   * Stops the pack being ready (rather than needing attention).
   */
  blocks_ready: boolean;
  code: string;
  message: string;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "GiveUpInput".
 */
export interface GiveUpInput {
  delivery_id: string;
  reason: string;
}
/**
 * A delivery row (without its payload bytes).
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Delivery".
 */
export interface Delivery {
  address: string;
  attempts: number;
  /**
   * Which version of the pack this recipient got; `None` on deliveries queued before
   * versions existed (they had the message's one PDF).
   */
  audience?: Audience | null;
  channel: Channel;
  child_id: string;
  delivered_at?: string | null;
  email_message_id?: string | null;
  episode_id?: string | null;
  given_up_by?: string | null;
  given_up_reason?: string | null;
  id: string;
  idempotency_key: string;
  last_error?: string | null;
  last_error_code?: string | null;
  message_id: string;
  next_attempt_at?: string | null;
  payload_sha256: string;
  /**
   * The SHA-256 of the PDF this recipient got (their version's, else the message's).
   */
  pdf_sha256?: string | null;
  /**
   * What the server said when it took the message (SMTP reply or intake receipt).
   */
  receipt?: string | null;
  recipient_id: string;
  recipient_name: string;
  recipient_role: string;
  /**
   * Sent by another of the home's devices (the one that queued it, or the one that took it
   * over): shown here, never sent from here.
   */
  sent_from_another_device: boolean;
  state: DeliveryState;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "DeliveryRef".
 */
export interface DeliveryRef {
  delivery_id: string;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "DiffInput".
 */
export interface DiffInput {
  child_id: string;
  from_seq: number;
  to_seq: number;
}
/**
 * One field that differs; `None` means absent or empty on that side.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "FieldChange".
 */
export interface FieldChange {
  after?: string | null;
  before?: string | null;
  path: string;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "DirectoryQuery".
 */
export interface DirectoryQuery {
  /**
   * A council or borough: only the units covering it.
   */
  area?: string | null;
}
/**
 * A force or a BCU.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Unit".
 */
export interface Unit {
  /**
   * Councils or boroughs covered, used to route by the child's placing council.
   */
  areas?: string[];
  channels?: Channels;
  id: string;
  /**
   * `force` or `bcu`.
   */
  kind: string;
  last_verified: string;
  name: string;
  nation?: string;
  note?: string | null;
  /**
   * The force a BCU belongs to.
   */
  parent?: string | null;
  unit_name_confirmed?: boolean;
}
/**
 * How a unit can be reached.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Channels".
 */
export interface Channels {
  /**
   * Where to email the pack, if the force gave one.
   */
  email?: string | null;
  /**
   * Base URL of a grab-pack intake (protocol in docs/intake-protocol.md).
   */
  https_intake?: string | null;
  note?: string;
  phone_emergency?: string;
  phone_non_emergency?: string;
  /**
   * True while the contacts are the shipped placeholders, not ones a person entered.
   */
  placeholder?: boolean;
  /**
   * Text number, where there is one.
   */
  text?: string | null;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "DirectoryEditInput".
 */
export interface DirectoryEditInput {
  email?: string | null;
  https_intake?: string | null;
  /**
   * The day a person checked these contacts; today when not given.
   */
  last_verified?: string | null;
  phone_non_emergency?: string | null;
  unit_id: string;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "StaffRef".
 */
export interface StaffRef {
  name: string;
}
/**
 * A field two edits of a child set differently, nobody having chosen yet.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "DisagreementView".
 */
export interface DisagreementView {
  /**
   * The field's label on the form.
   */
  label: string;
  /**
   * The other edit's value, in words.
   */
  other: string;
  path: string;
  /**
   * What the record shows now (the later edit), in words.
   */
  shown: string;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "EpisodeRef".
 */
export interface EpisodeRef {
  episode_id: string;
}
/**
 * Everything the episode screen draws, in one answer.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "EpisodeView".
 */
export interface EpisodeView {
  age?: number | null;
  checklist: Checklist;
  child_name: string;
  episode: Episode;
  /**
   * Flags the episode raised on the child (shown after closing).
   */
  flags: ChildFlag[];
  /**
   * Everyone who had the pack (queued, sending or delivered): who an update and the returned
   * notice go to.
   */
  had_the_pack: Recipient[];
  /**
   * Every message sent about this episode, newest first, with each recipient's state.
   */
  messages: OutboxMessage[];
  /**
   * The force's practice: the risk categories to offer (with its words), the 999 rule and the
   * prevention-interview clock, each with its source.
   */
  practice: ForcePractice;
  /**
   * When the police prevention interview is due (the force's clock from the return to the
   * placement); `None` before the child is back or where the force sets no fixed time.
   */
  prevention_interview_due_by?: string | null;
  /**
   * Past that time with no prevention interview recorded.
   */
  prevention_interview_overdue: boolean;
  /**
   * Who the rules propose; the sender may remove any and add others.
   */
  proposal: Proposal;
  /**
   * The read-out for the 101 or 999 call, from the current revision and this episode's Part 2.
   */
  readout: string;
  /**
   * For each time police would not accept the report (in the episode's order), who the
   * notice actually reached: the screen says who was told only from this.
   */
  refusal_notices: RefusalNotice[];
  /**
   * The child's agreed trigger plan (when to report them missing), from the current revision.
   */
  trigger_plan?: TriggerPlanSummary | null;
}
/**
 * The steps to show, in order.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Checklist".
 */
export interface Checklist {
  /**
   * Immediate danger or a child aged 12 or under: the first step is "call 999 now".
   */
  call_999_now: boolean;
  steps: Step[];
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Step".
 */
export interface Step {
  /**
   * For a variant's extra step: put it after this step.
   */
  after?: string | null;
  id: string;
  label: string;
}
/**
 * The whole episode as it stands, and its full history.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Episode".
 */
export interface Episode {
  acknowledgements: Timed10[];
  /**
   * The child's age on the day the absence was noticed.
   */
  age_when_noticed?: number | null;
  /**
   * The same absence recorded again on another of the home's devices (both pressed Missing
   * while they could not reach the hub): the child's other episodes covering part of the same
   * time. Both records are kept whole; staff tell police it is one absence.
   */
  also_recorded: AlsoRecorded[];
  /**
   * Immediate danger, or a child at or under the national age line (the episode screen's
   * view applies the force's own line): call 999 now, before any checklist step.
   */
  call_999_now: boolean;
  child_id: string;
  closed?: Timed13 | null;
  /**
   * Missing, or away from placement without authorisation: the newest recorded change.
   */
  episode_type: EpisodeType;
  found?: Timed7 | null;
  history: EventInfo[];
  id: string;
  immediate_danger: boolean;
  missing_from_unit?: string | null;
  not_accepted: Timed5[];
  noticed_at: string;
  opened_at: string;
  opened_by_name: string;
  part2?: Timed3 | null;
  prevention_interview?: Timed8 | null;
  recipients: Timed11[];
  reports: Timed4[];
  return_home_interview?: Timed9 | null;
  return_home_interview_deadline?: RhiDeadline | null;
  steps: Timed2[];
  strategy_meetings: Timed12[];
  /**
   * Each change of type, oldest first (the episode opened as missing).
   */
  type_changes: Timed[];
  updates: Timed6[];
}
/**
 * An entry as currently true, with when it happened.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Timed10".
 */
export interface Timed10 {
  at: string;
  collar_number?: string;
  cursor?: string;
  event_id: number;
  idempotency_key?: string;
  intake?: string;
  note?: string;
  officer_name?: string;
  police_reference?: string;
  reason?: string;
  receipt_id?: string;
  recorded_by_name: string;
  risk_grading?: RiskGrading | null;
  /**
   * "accepted" or "not_accepted".
   */
  status?: string;
}
/**
 * Another episode of the same child covering part of the same time.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "AlsoRecorded".
 */
export interface AlsoRecorded {
  closed: boolean;
  episode_id: string;
  noticed_at: string;
  opened_at: string;
  opened_by_name: string;
}
/**
 * An entry as currently true, with when it happened.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Timed13".
 */
export interface Timed13 {
  at: string;
  event_id: number;
  harm?: string;
  /**
   * People from this episode that Part 1 should now list.
   */
  new_people?: string[];
  /**
   * Places from this episode that Part 1 should now list.
   */
  new_places?: string[];
  recorded_by_name: string;
  summary?: string;
}
/**
 * An entry as currently true, with when it happened.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Timed7".
 */
export interface Timed7 {
  at: string;
  disclosures?: string;
  event_id: number;
  found_by?: string;
  found_where?: string;
  found_with?: string;
  injuries?: string;
  new_risks?: string;
  recorded_by_name: string;
  /**
   * When the child was back at the placement, when later than being found: the return-home
   * interview's 72 hours run from here.
   */
  returned_to_placement_at?: string | null;
}
/**
 * One recorded entry: kept for ever, even when a later entry corrects it.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "EventInfo".
 */
export interface EventInfo {
  /**
   * When it happened (as the person said).
   */
  at: string;
  body: unknown;
  id: number;
  item_key: string;
  kind: EventKind;
  reason: string;
  /**
   * When it was written down, and by whom.
   */
  recorded_at: string;
  recorded_by: string;
  recorded_by_name: string;
  /**
   * A later entry corrected this one.
   */
  superseded_by?: number | null;
  supersedes?: number | null;
}
/**
 * An entry as currently true, with when it happened.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Timed5".
 */
export interface Timed5 {
  at: string;
  collar_number?: string;
  event_id: number;
  officer_name?: string;
  reason?: string;
  recorded_by_name: string;
  reference?: string;
}
/**
 * An entry as currently true, with when it happened.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Timed3".
 */
export interface Timed3 {
  absence_noticed_at?: string | null;
  actions_taken?: ActionTaken[];
  at: string;
  call_back_number?: string;
  carer_risk_reasons?: string;
  carer_risk_view?: RiskGrading | null;
  /**
   * Circumstances, trigger, mood.
   */
  circumstances?: string;
  /**
   * Clothing and items worn.
   */
  clothing?: string;
  /**
   * Direction, transport, intended destination.
   */
  direction_transport?: string;
  event_id: number;
  intended_destination?: string;
  last_seen_at?: string | null;
  last_seen_by?: string;
  last_seen_where?: string;
  notifications?: Notification[];
  recorded_by_name: string;
  reporting_person?: string;
  taken?: TakenItems;
  who_with?: string;
}
/**
 * An action already taken before or after reporting, with its time and outcome.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "ActionTaken".
 */
export interface ActionTaken {
  action: string;
  at: string;
  outcome?: string;
}
/**
 * Who was told, when, and the reference they gave.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Notification".
 */
export interface Notification {
  at: string;
  collar_number?: string;
  officer_name?: string;
  /**
   * Police incident or CAD reference, or the person's name.
   */
  reference?: string;
  to: NotifiedParty;
}
/**
 * What the child took with them.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "TakenItems".
 */
export interface TakenItems {
  bank_cards?: boolean | null;
  medication?: boolean | null;
  money?: boolean | null;
  other?: string;
  passport?: boolean | null;
  phone?: boolean | null;
}
/**
 * An entry as currently true, with when it happened.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Timed8".
 */
export interface Timed8 {
  at: string;
  child_engaged?: boolean | null;
  disclosed?: boolean | null;
  event_id: number;
  how?: InterviewMethod | null;
  note?: string;
  officer?: string;
  recorded_by_name: string;
  with_whom?: InterviewWith | null;
}
/**
 * An entry as currently true, with when it happened.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Timed11".
 */
export interface Timed11 {
  added?: string[];
  at: string;
  chosen?: unknown[];
  event_id: number;
  outbox_message_id?: string;
  proposed?: unknown[];
  recorded_by_name: string;
  removed?: string[];
}
/**
 * An entry as currently true, with when it happened.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Timed4".
 */
export interface Timed4 {
  at: string;
  collar_number?: string;
  event_id: number;
  how?: ReportChannel | null;
  officer_name?: string;
  /**
   * The police's own words for the grading, verbatim, beside the category.
   */
  police_words?: string;
  recorded_by_name: string;
  /**
   * Incident or CAD reference.
   */
  reference?: string;
  /**
   * The category, in the form's vocabulary (the force's categories are offered; a grading
   * recorded before, such as "no apparent risk", reads back as it was recorded).
   */
  risk_grading?: RiskGrading | null;
  unit?: string;
}
/**
 * An entry as currently true, with when it happened.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Timed9".
 */
export interface Timed9 {
  accepted?: boolean | null;
  at: string;
  /**
   * Who did it.
   */
  by?: string;
  event_id: number;
  note?: string;
  organisation?: string;
  /**
   * `None` on entries recorded before outcomes were kept: read as offered.
   */
  outcome?: RhiOutcome | null;
  recorded_by_name: string;
  /**
   * The interview's report came back to the home.
   */
  report_received?: boolean | null;
  /**
   * The same worker as the child's last return-home interview (continuity).
   */
  same_worker_as_last_time?: boolean | null;
}
/**
 * The return-home interview deadline: 72 hours from the child's return to the placement (or
 * from being found, when no later return was recorded).
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "RhiDeadline".
 */
export interface RhiDeadline {
  carried_out: boolean;
  due_by: string;
  /**
   * Carried out, not merely offered, within the 72 hours: the only way the deadline is met.
   */
  met: boolean;
  /**
   * An interview was recorded (offered, carried out or refused).
   */
  offered: boolean;
  /**
   * Past the deadline with no interview carried out and no refusal recorded.
   */
  overdue: boolean;
  refused: boolean;
}
/**
 * An entry as currently true, with when it happened.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Timed2".
 */
export interface Timed2 {
  at: string;
  event_id: number;
  label: string;
  outcome: string;
  recorded_by_name: string;
  step_id: string;
}
/**
 * An entry as currently true, with when it happened.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Timed12".
 */
export interface Timed12 {
  at: string;
  /**
   * Who attended (names and roles, as given).
   */
  attended?: string[];
  decisions?: string;
  event_id: number;
  police_attended?: boolean | null;
  recorded_by_name: string;
}
/**
 * An entry as currently true, with when it happened.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Timed".
 */
export interface Timed {
  at: string;
  episode_type?: EpisodeType & string;
  event_id: number;
  reason?: string;
  recorded_by_name: string;
}
/**
 * An entry as currently true, with when it happened.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Timed6".
 */
export interface Timed6 {
  at: string;
  event_id: number;
  from?: string;
  kind: UpdateKind;
  recorded_by_name: string;
  text: string;
}
/**
 * A flag raised on a child by an episode.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "ChildFlag".
 */
export interface ChildFlag {
  child_id: string;
  detail: unknown;
  episode_id?: string | null;
  id: number;
  kind: FlagKind;
  raised_at: string;
}
/**
 * One proposed or chosen recipient.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Recipient".
 */
export interface Recipient {
  /**
   * Email address or intake base URL.
   */
  address: string;
  /**
   * The version of the pack this recipient gets, when something other than their role fixed
   * it: the rules (a second police force), a manager widening an added address, or their first
   * pack (an update or a returned notice keeps it). Otherwise their role decides
   * ([`audience_of`]).
   */
  audience?: Audience | null;
  channel: Channel;
  /**
   * Set when an added address outside the public-service domains was confirmed by a manager.
   */
  confirmed_by_manager?: ManagerConfirmation | null;
  /**
   * Stable within an episode: `police:<unit>`, `social_worker`, `out_of_hours`, `manager`,
   * `other:<address>`.
   */
  id: string;
  name: string;
  /**
   * Why the rules proposed them.
   */
  reason: string;
  role: Role;
  /**
   * Set when a manager widened an added address to the full pack, with their reason.
   */
  widened_by_manager?: ManagerConfirmation | null;
}
/**
 * A manager's confirmation that an address outside the public-service domains may have the pack.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "ManagerConfirmation".
 */
export interface ManagerConfirmation {
  /**
   * Who confirmed it (the acting manager's name).
   */
  by: string;
  reason: string;
}
/**
 * A message in the outbox, with each recipient's state.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "OutboxMessage".
 */
export interface OutboxMessage {
  child_id: string;
  cover_note: string;
  created_at: string;
  created_by: string;
  deliveries: Delivery[];
  episode_id?: string | null;
  id: string;
  pdf_sha256?: string | null;
  purpose: Purpose;
  /**
   * Queued on another of the home's devices, which sends it (its deliveries' states arrive
   * from there).
   */
  sent_from_another_device: boolean;
}
/**
 * A force's practice, resolved: the national advice with the force's own parts laid over it.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "ForcePractice".
 */
export interface ForcePractice {
  call_999: Call999Rule;
  /**
   * The force this is for; `None` for the national advice (no force known, or none listed).
   */
  force_id?: string | null;
  prevention_interview: PreventionClock;
  risk_grading: RiskVocabulary;
}
/**
 * When a child is reported at once on 999, and how the force says it.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Call999Rule".
 */
export interface Call999Rule {
  /**
   * A child this age or under is reported at once; `None`: only when in danger.
   */
  at_or_under_age?: number | null;
  source: string;
  /**
   * The force's words, e.g. "report immediately".
   */
  wording: string;
}
/**
 * When police should hold the prevention (safe and well) interview after a child returns.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "PreventionClock".
 */
export interface PreventionClock {
  source: string;
  /**
   * Hours after the return; `None`: no fixed time, "as soon as possible".
   */
  within_hours?: number | null;
  wording: string;
}
/**
 * The categories a force grades a missing child in, in order, with where that comes from.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "RiskVocabulary".
 */
export interface RiskVocabulary {
  categories: RiskCategory[];
  source: string;
}
/**
 * One category a force grades in, with the force's own words for it.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "RiskCategory".
 */
export interface RiskCategory {
  grading: RiskGrading;
  words: string;
}
/**
 * What the rules propose, and who they could not reach by email or intake.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Proposal".
 */
export interface Proposal {
  /**
   * Police units the home has no confirmed address for: phone them. Shown first.
   */
  call_advice: CallAdvice[];
  recipients: Recipient[];
  /**
   * People the rules wanted but who have no address: phone them.
   */
  unreachable: string[];
}
/**
 * Phone a police unit instead of sending to it: the home has no confirmed address for it.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "CallAdvice".
 */
export interface CallAdvice {
  /**
   * "Call 101 (999 if in danger) and say you have a Philomena Protocol form".
   */
  call: string;
  /**
   * "no confirmed address for <unit>: a manager can add it in Settings".
   */
  no_address: string;
  /**
   * The unit's emergency number (999).
   */
  phone_emergency: string;
  /**
   * The unit's non-emergency number from the directory (101 unless the home changed it).
   */
  phone_non_emergency: string;
  unit_id: string;
  unit_name: string;
  /**
   * Why the rules wanted this unit (where the child went missing, or their home area).
   */
  why: string;
}
/**
 * Who was told that police would not accept the report, from the notice's own deliveries.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "RefusalNotice".
 */
export interface RefusalNotice {
  /**
   * The refusal's entry on the episode.
   */
  entry: number;
  /**
   * The notice's outbox message, when one was queued.
   */
  message_id?: string | null;
  /**
   * What the screen says, true to the deliveries: who has it, who it is still going to, who
   * it failed for, and who has no address (phone them).
   */
  summary: string;
}
/**
 * The trigger plan as the Missing and episode screens show it when staff decide to report.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "TriggerPlanSummary".
 */
export interface TriggerPlanSummary {
  /**
   * Who agreed it and when ("Agreed with Police (PC 1234); Social worker (J Lee) on 14 Sep
   * 2026"); empty when nobody is recorded.
   */
  agreed: string;
  /**
   * When to report, in the words agreed.
   */
  when_to_report: string;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "CloseInput".
 */
export interface CloseInput {
  closure: Closure;
  episode_id: string;
}
/**
 * Closing the episode, with what was learned for Part 1.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Closure".
 */
export interface Closure {
  harm?: string;
  /**
   * People from this episode that Part 1 should now list.
   */
  new_people?: string[];
  /**
   * Places from this episode that Part 1 should now list.
   */
  new_places?: string[];
  summary?: string;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "FoundInput".
 */
export interface FoundInput {
  at?: string | null;
  episode_id: string;
  found: Found;
}
/**
 * Found or returned.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Found".
 */
export interface Found {
  disclosures?: string;
  found_by?: string;
  found_where?: string;
  found_with?: string;
  injuries?: string;
  new_risks?: string;
  /**
   * When the child was back at the placement, when later than being found: the return-home
   * interview's 72 hours run from here.
   */
  returned_to_placement_at?: string | null;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "InterviewInput".
 */
export interface InterviewInput {
  at?: string | null;
  episode_id: string;
  /**
   * The police prevention interview (safe-and-well check).
   */
  prevention?: PreventionInterview | null;
  /**
   * The independent return-home interview offer.
   */
  return_home?: ReturnHomeInterview | null;
}
/**
 * The police prevention interview (safe-and-well check).
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "PreventionInterview".
 */
export interface PreventionInterview {
  child_engaged?: boolean | null;
  disclosed?: boolean | null;
  how?: InterviewMethod | null;
  note?: string;
  officer?: string;
  with_whom?: InterviewWith | null;
}
/**
 * The independent return-home interview. Its entry's time is when it was carried out (or
 * offered, or refused).
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "ReturnHomeInterview".
 */
export interface ReturnHomeInterview {
  accepted?: boolean | null;
  /**
   * Who did it.
   */
  by?: string;
  note?: string;
  organisation?: string;
  /**
   * `None` on entries recorded before outcomes were kept: read as offered.
   */
  outcome?: RhiOutcome | null;
  /**
   * The interview's report came back to the home.
   */
  report_received?: boolean | null;
  /**
   * The same worker as the child's last return-home interview (continuity).
   */
  same_worker_as_last_time?: boolean | null;
}
/**
 * Police would not accept the report: recorded, and the social worker told at once.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "NotAcceptedInput".
 */
export interface NotAcceptedInput {
  at?: string | null;
  episode_id: string;
  refusal: NotAccepted;
}
/**
 * "Police would not accept the report": the record councils say they never get.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "NotAccepted".
 */
export interface NotAccepted {
  collar_number?: string;
  officer_name?: string;
  reason?: string;
  reference?: string;
}
/**
 * The pack as a file, for print, save and share.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "PackFile".
 */
export interface PackFile {
  file_name: string;
  page_count: number;
  pdf_base64: string;
  sha256_hex: string;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Part2Input".
 */
export interface Part2Input {
  episode_id: string;
  part2: Part2;
}
/**
 * Part 2: written at the time the child goes missing.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "Part2".
 */
export interface Part2 {
  absence_noticed_at?: string | null;
  actions_taken?: ActionTaken[];
  call_back_number?: string;
  carer_risk_reasons?: string;
  carer_risk_view?: RiskGrading | null;
  /**
   * Circumstances, trigger, mood.
   */
  circumstances?: string;
  /**
   * Clothing and items worn.
   */
  clothing?: string;
  /**
   * Direction, transport, intended destination.
   */
  direction_transport?: string;
  intended_destination?: string;
  last_seen_at?: string | null;
  last_seen_by?: string;
  last_seen_where?: string;
  notifications?: Notification[];
  reporting_person?: string;
  taken?: TakenItems;
  who_with?: string;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "ReportInput".
 */
export interface ReportInput {
  at?: string | null;
  episode_id: string;
  report: PoliceReport;
}
/**
 * The report to police, as the call handler or officer gave it.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "PoliceReport".
 */
export interface PoliceReport {
  collar_number?: string;
  how?: ReportChannel | null;
  officer_name?: string;
  /**
   * The police's own words for the grading, verbatim, beside the category.
   */
  police_words?: string;
  /**
   * Incident or CAD reference.
   */
  reference?: string;
  /**
   * The category, in the form's vocabulary (the force's categories are offered; a grading
   * recorded before, such as "no apparent risk", reads back as it was recorded).
   */
  risk_grading?: RiskGrading | null;
  unit?: string;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "SendPackInput".
 */
export interface SendPackInput {
  /**
   * Extra email addresses or https intake addresses.
   */
  add?: string[];
  episode_id: string;
  /**
   * A manager's reason for added addresses outside the public-service domains.
   */
  manager_reason?: string | null;
  note?: string;
  /**
   * Proposed recipients (by id) the sender took off.
   */
  remove?: string[];
  /**
   * Added addresses a manager sends the full pack instead of page 1 and Part 2.
   */
  widen?: string[];
  /**
   * The manager's reason for widening them.
   */
  widen_reason?: string | null;
}
/**
 * Send everyone who had the pack a new pack because Part 2 changed.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "SendUpdateInput".
 */
export interface SendUpdateInput {
  episode_id: string;
  note?: string;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "StepInput".
 */
export interface StepInput {
  at?: string | null;
  episode_id: string;
  label: string;
  outcome?: string;
  step_id: string;
}
/**
 * A strategy meeting held (`at`: when).
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "StrategyMeetingInput".
 */
export interface StrategyMeetingInput {
  at?: string | null;
  episode_id: string;
  meeting: StrategyMeeting;
}
/**
 * A strategy meeting held about the child's repeat episodes.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "StrategyMeeting".
 */
export interface StrategyMeeting {
  /**
   * Who attended (names and roles, as given).
   */
  attended?: string[];
  decisions?: string;
  police_attended?: boolean | null;
}
/**
 * The episode changes type (missing, or away from placement without authorisation).
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "EpisodeTypeInput".
 */
export interface EpisodeTypeInput {
  at?: string | null;
  change: EpisodeTypeChange;
  episode_id: string;
}
/**
 * The episode changed type (for example: the child was found at a friend's and stays there
 * tonight without permission), recorded with why.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "EpisodeTypeChange".
 */
export interface EpisodeTypeChange {
  episode_type?: EpisodeType & string;
  reason?: string;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "UpdateInput".
 */
export interface UpdateInput {
  at?: string | null;
  episode_id: string;
  update: EpisodeUpdate;
}
/**
 * New information or a sighting during the episode.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "EpisodeUpdate".
 */
export interface EpisodeUpdate {
  from?: string;
  kind: UpdateKind;
  text: string;
}
/**
 * One row of the field table, for the form screens.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "FieldView".
 */
export interface FieldView {
  /**
   * The placement types for which the field is worth more or less (the screen shows the
   * priority for the child's own placement type).
   */
  by_placement: PlacementPriority[];
  group: Group;
  group_title: string;
  label: string;
  letter: string;
  path: string;
  /**
   * The priority when the placement type is not chosen, or not one of `by_placement`'s.
   */
  priority: Priority;
}
/**
 * A field's priority for one type of placement.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "PlacementPriority".
 */
export interface PlacementPriority {
  placement_type: PlacementType;
  priority: Priority;
}
/**
 * What the Missing screen shows first: the emergency choice, the read-out for the call and the
 * pack, built in memory.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "MissingPreview".
 */
export interface MissingPreview {
  age?: number | null;
  /**
   * The home's force's 999 rule: its age line, its words and their source.
   */
  call_999: Call999Rule;
  /**
   * At or under the home's force's age line: report at once on 999.
   */
  call_999_now: boolean;
  child_id: string;
  legal_name: string;
  /**
   * This child's open episode, if one is already running: the Missing button goes there.
   */
  open_episode_id?: string | null;
  page_count: number;
  pdf_base64: string;
  /**
   * The 30-second read-out for the 101 or 999 call.
   */
  readout: string;
  revision: number;
  sha256_hex: string;
  /**
   * The agreed trigger plan (when to report this child missing), shown as staff decide.
   */
  trigger_plan?: TriggerPlanSummary | null;
  warnings: string[];
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "StartEpisodeInput".
 */
export interface StartEpisodeInput {
  child_id: string;
  /**
   * The person thinks the child may be in immediate danger (or is not sure).
   */
  immediate_danger: boolean;
  /**
   * The police unit for where the child went missing, when not the home's own area.
   */
  missing_from_unit?: string | null;
  /**
   * When the absence was noticed; now when not given.
   */
  noticed_at?: string | null;
}
/**
 * An open episode, pinned above the children on the dashboard.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "OpenEpisodeCard".
 */
export interface OpenEpisodeCard {
  call_999_now: boolean;
  child_id: string;
  child_name: string;
  /**
   * The latest pack message's recipients and their states.
   */
  deliveries: Delivery[];
  episode_id: string;
  found_at?: string | null;
  noticed_at: string;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "PhotoRef".
 */
export interface PhotoRef {
  photo_id: string;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "RemoveCertificateInput".
 */
export interface RemoveCertificateInput {
  /**
   * As listed in the settings (case and colons do not matter).
   */
  sha256_fingerprint: string;
}
/**
 * The home's sending settings as a manager sees them: no password or token ever comes back.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "SendSettingsView".
 */
export interface SendSettingsView {
  extra_certificates: number;
  /**
   * The id this home's packs carry: a police intake's administrator registers the home by it.
   */
  home_id: string;
  home_police_unit?: string | null;
  /**
   * Intake addresses the home holds a token for.
   */
  intakes: string[];
  /**
   * The domains the home's manager added to them.
   */
  public_domains: string[];
  /**
   * The shipped public-service domains (police.uk, gov.uk, nhs.net, cjsm.net).
   */
  shipped_public_domains: string[];
  smtp?: SmtpView | null;
  /**
   * Each extra certificate authority by its SHA-256 fingerprint, to check and remove.
   */
  trusted_certificates: TrustedCertificate[];
  /**
   * The home's police units that still need confirmed contacts (packs are not sent to them).
   */
  units_needing_contacts: UnitToConfirm[];
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "SmtpView".
 */
export interface SmtpView {
  from: string;
  from_name: string;
  host: string;
  password_set: boolean;
  port?: number | null;
  security: SmtpSecurity;
  username: string;
}
/**
 * An extra certificate authority the home trusts, by its fingerprint: what a council's or
 * force's IT team reads out to check it is theirs.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "TrustedCertificate".
 */
export interface TrustedCertificate {
  /**
   * SHA-256 of the certificate, as `openssl x509 -fingerprint -sha256` prints it
   * (upper-case hex pairs joined by colons).
   */
  sha256_fingerprint: string;
}
/**
 * A police unit the rules would send this home's packs to, whose contacts nobody has confirmed.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "UnitToConfirm".
 */
export interface UnitToConfirm {
  unit_id: string;
  unit_name: string;
  /**
   * The home's own police area, or the home area of children placed from there.
   */
  why: string;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "ReviewInput".
 */
export interface ReviewInput {
  child_id: string;
  note: string;
}
/**
 * Save the child's own copy ("what we keep about you"); `shown` records that it is being shown
 * to the child now.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "ChildCopyRequest".
 */
export interface ChildCopyRequest {
  child_id: string;
  shown?: boolean;
}
/**
 * Where the child's own copy went (not encrypted), and every time it was shown to the child,
 * newest first.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "SavedChildCopy".
 */
export interface SavedChildCopy {
  path: string;
  sha256_hex: string;
  shown_at: string[];
  /**
   * Said when the folder looks like one a sync service copies to the cloud.
   */
  warning?: string | null;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "SaveFormInput".
 */
export interface SaveFormInput {
  child_id: string;
  form: ChildForm;
  note: string;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "SavePackInput".
 */
export interface SavePackInput {
  child_id: string;
  /**
   * The open episode, so its Part 2 is in the saved pack.
   */
  episode_id?: string | null;
}
/**
 * Where the saved pack went (not encrypted: the screen says so).
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "SavedPack".
 */
export interface SavedPack {
  page_count: number;
  path: string;
  sha256_hex: string;
  /**
   * Said when the folder looks like one a sync service copies to the cloud.
   */
  warning?: string | null;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "SendTestInput".
 */
export interface SendTestInput {
  /**
   * `smtp` for the email account, or an intake's https address.
   */
  target: string;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "HomeUnitInput".
 */
export interface HomeUnitInput {
  unit_id?: string | null;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "IntakeTokenInput".
 */
export interface IntakeTokenInput {
  /**
   * Zeroised when dropped, never printed.
   */
  token: string;
  url: string;
}
/**
 * A new PIN for the person unlocked (6 to 12 digits).
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "NewPinInput".
 */
export interface NewPinInput {
  pin: string;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "PublicDomainsInput".
 */
export interface PublicDomainsInput {
  /**
   * The home's own public-service domains, replacing the list (blank lines dropped).
   */
  domains: string[];
}
/**
 * Home-wide settings, kept encrypted in the store.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "HomeSettings".
 */
export interface HomeSettings {
  auto_lock_minutes?: number;
  /**
   * The home's postal address (it goes to police with the pack's cover note).
   */
  home_address?: string;
  home_name?: string;
  home_type?: HomeType & string;
  /**
   * Printed on every page of every pack.
   */
  protective_marking?: string;
  readiness?: ReadinessSettings;
  /**
   * When repeat episodes raise a strategy-meeting flag.
   */
  strategy_meeting?: StrategyMeetingRule;
}
/**
 * The home's thresholds. Settings, not constants: a home may review more often.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "ReadinessSettings".
 */
export interface ReadinessSettings {
  /**
   * A face photo older than this many days makes the pack need attention.
   */
  photo_max_age_days: number;
  /**
   * Part 1 must be reviewed at least this often.
   */
  review_interval_days: number;
}
/**
 * When repeat episodes call a strategy meeting: a local rule (one council's is 3 episodes in 30
 * days, the default), so each home sets its own.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "StrategyMeetingRule".
 */
export interface StrategyMeetingRule {
  /**
   * This many episodes (the one just closed included) ...
   */
  episodes?: number;
  /**
   * ... noticed within this many days raise the strategy-meeting flag.
   */
  within_days?: number;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "SmtpInput".
 */
export interface SmtpInput {
  from: string;
  from_name?: string;
  host: string;
  /**
   * Leave out to keep the password already saved. Zeroised when dropped, never printed.
   */
  password?: string | null;
  port?: number | null;
  security: SmtpSecurity;
  username: string;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "SetupInput".
 */
export interface SetupInput {
  home_address?: string;
  home_name: string;
  home_type?: HomeType & string;
  manager_name: string;
  /**
   * The first manager's PIN on this device (needs the keychain).
   */
  manager_pin?: string | null;
  /**
   * For machines with no keychain, and for administrators.
   */
  passphrase?: string | null;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "SetupResult".
 */
export interface SetupResult {
  /**
   * Shown once, to print and keep in the home's safe. Never stored in the clear.
   */
  recovery_key: string;
  session: SessionView;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "SyncApproveInput".
 */
export interface SyncApproveInput {
  code: string;
  /**
   * The fingerprint as the new device shows it, typed by the manager.
   */
  fingerprint: string;
}
/**
 * A device asking to join, with the fingerprint computed on this device from its keys.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "WaitingDeviceView".
 */
export interface WaitingDeviceView {
  code: string;
  device_id: string;
  fingerprint: string;
  /**
   * When it asked (Unix seconds).
   */
  requested_at: number;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "HomeDeviceView".
 */
export interface HomeDeviceView {
  /**
   * Unix seconds.
   */
  created_at: number;
  device_id: string;
  fingerprint: string;
  last_seen_at?: number | null;
  /**
   * `pending`, `active` or `revoked`.
   */
  status: string;
  this_device: boolean;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "SyncEnrolInput".
 */
export interface SyncEnrolInput {
  /**
   * The certificate of the provider's own certificate authority, when it uses one (PEM).
   */
  ca_pem?: string | null;
  /**
   * The hub's address, `https://...`, from the provider.
   */
  hub_url: string;
  /**
   * The one-time token the provider gave the home. Zeroised when dropped, never printed.
   */
  token: string;
}
/**
 * Where this device stands in the home's sync, for the dashboard's line and Settings, Devices.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "SyncStatusView".
 */
export interface SyncStatusView {
  /**
   * The device whose approval brought this one in, and its fingerprint as computed here from
   * the keys that wrapped this device's home key: the approving manager checks it is theirs.
   */
  approved_by?: string | null;
  approver_fingerprint?: string | null;
  /**
   * Children with fields two edits set differently, and how many fields each.
   */
  children_with_disagreements: ChildDisagreements[];
  device_id?: string | null;
  /**
   * This device's key fingerprint, for a manager to compare when approving it.
   */
  fingerprint?: string | null;
  home_id?: string | null;
  hub_url?: string | null;
  /**
   * Why the last sync did not finish, in words.
   */
  last_error?: string | null;
  /**
   * The code to read out to the manager while waiting for approval.
   */
  pairing_code?: string | null;
  /**
   * Records from other devices set aside because they could not be read.
   */
  refused: number;
  /**
   * `none` (this device does not sync), `waiting_for_approval` or `paired`.
   */
  state: string;
  waiting_to_send: number;
  /**
   * "up to date, 2 min ago", "offline: 3 changes waiting", ...
   */
  words: string;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "ChildDisagreements".
 */
export interface ChildDisagreements {
  child_id: string;
  fields: number;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "SyncPairInput".
 */
export interface SyncPairInput {
  ca_pem?: string | null;
  /**
   * The home's id, as a paired device shows it.
   */
  home_id: string;
  hub_url: string;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "SyncRevokeInput".
 */
export interface SyncRevokeInput {
  device_id: string;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "TrustCaInput".
 */
export interface TrustCaInput {
  /**
   * A PEM certificate of an authority a council or force uses for its own servers.
   */
  pem: string;
}
/**
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "UiError".
 */
export interface UiError {
  /**
   * Stable across releases, e.g. `store.wrong_secret`, `app.locked`.
   */
  code: string;
  /**
   * For `form.invalid`: each broken rule at its field.
   */
  fields: FieldError[];
  message: string;
  /**
   * For `store.too_many_attempts`: how long to wait before the next try.
   */
  retry_after_seconds?: number | null;
}
/**
 * One broken rule, at one field.
 *
 * This interface was referenced by `Bindings`'s JSON-Schema
 * via the `definition` "FieldError".
 */
export interface FieldError {
  /**
   * Stable code, e.g. `form.card_not_last4`.
   */
  code: string;
  message: string;
  /**
   * Where, e.g. `money_travel.bank_cards[0].last4`.
   */
  path: string;
}
